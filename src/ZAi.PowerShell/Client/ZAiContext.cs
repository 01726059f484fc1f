using System;
using ZAi.PowerShell.Client;

namespace ZAi
{
    /// <summary>The connection the module's cmdlets use: base URI, masked key and settings. Never holds the key itself.</summary>
    public sealed class ZAiContext
    {
        internal ZAiContext(ConnectionSettings settings, DateTime? connectedAtUtc)
        {
            BaseUri = settings.BaseUri.AbsoluteUri;
            BaseUriSource = settings.BaseUriSource;
            ApiKey = settings.ApiKey?.Masked;
            ApiKeySource = settings.ApiKeySource;
            Language = settings.Language;
            ConnectTimeoutSec = settings.ConnectTimeout.TotalSeconds;
            RequestTimeoutSec = settings.RequestTimeout.TotalSeconds;
            MaximumRetryCount = settings.MaxRetries;
            ConnectionsPerFile = settings.ConnectionsPerFile;
            SplitThreshold = settings.SplitThreshold;
            var proxy = settings.Proxy.EndpointFor(settings.BaseUri);
            Proxy = proxy?.Display;
            ProxySource = settings.Proxy.SourceFor(settings.BaseUri);
            ProxyUser = proxy is null ? null : settings.Proxy.UserFor(settings.BaseUri);
            NoProxy = settings.Proxy.Bypass.IsEmpty ? null : string.Join(", ", settings.Proxy.Bypass.Patterns);
            Connected = connectedAtUtc.HasValue;
            ConnectedAt = connectedAtUtc;
        }

        /// <summary>The API base URI every call goes to.</summary>
        public string BaseUri { get; }

        /// <summary>Where the base URI came from: Connect-ZAi, ZAI_BASE_URL or Default.</summary>
        public string BaseUriSource { get; }

        /// <summary>The API key, masked to its last four characters; null when none is set.</summary>
        public string? ApiKey { get; }

        /// <summary>Where the key came from: Connect-ZAi, ZAI_API_KEY or None.</summary>
        public string ApiKeySource { get; }

        /// <summary>The Accept-Language header sent on every call.</summary>
        public string Language { get; }

        /// <summary>Seconds allowed to open a connection.</summary>
        public double ConnectTimeoutSec { get; }

        /// <summary>Seconds allowed for each request attempt.</summary>
        public double RequestTimeoutSec { get; }

        /// <summary>How many times a transient failure is retried.</summary>
        public int MaximumRetryCount { get; }

        /// <summary>The earlier name of MaximumRetryCount, kept for scripts that read it; hidden from Get-Member, tables and exports.</summary>
        [System.Management.Automation.Hidden]
        public int MaxRetries => MaximumRetryCount;

        /// <summary>Connections Save-ZAiMedia opens for one large file from a host that offers byte ranges.</summary>
        public int ConnectionsPerFile { get; }

        /// <summary>Files of at least this many bytes are split over ConnectionsPerFile connections.</summary>
        public long SplitThreshold { get; }

        /// <summary>The proxy API calls go through (http://host:port), or null when they go direct. Never holds a user name or password.</summary>
        public string? Proxy { get; }

        /// <summary>Where the proxy setting comes from: Connect-ZAi, HTTPS_PROXY (or another variable), System or None.</summary>
        public string ProxySource { get; }

        /// <summary>The user name the proxy is given when it asks, or "(default credentials)"; never the password.</summary>
        public string? ProxyUser { get; }

        /// <summary>Hosts reached without the proxy (-NoProxy, and NO_PROXY when the proxy comes from the environment), comma-separated.</summary>
        public string? NoProxy { get; }

        /// <summary>True after Connect-ZAi in this process; false when settings come from the environment only.</summary>
        public bool Connected { get; }

        /// <summary>When Connect-ZAi ran (UTC).</summary>
        public DateTime? ConnectedAt { get; }

        public override string ToString() => $"{BaseUri} (key {ApiKey ?? "not set"})";
    }
}
