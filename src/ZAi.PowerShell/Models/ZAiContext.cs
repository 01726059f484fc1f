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

        /// <summary>True after Connect-ZAi in this process; false when settings come from the environment only.</summary>
        public bool Connected { get; }

        /// <summary>When Connect-ZAi ran (UTC).</summary>
        public DateTime? ConnectedAt { get; }

        public override string ToString() => $"{BaseUri} (key {ApiKey ?? "not set"})";
    }
}
