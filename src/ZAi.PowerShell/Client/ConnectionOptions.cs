using System;
using ZAi.PowerShell.Costs;

namespace ZAi.PowerShell.Client
{
    /// <summary>What Connect-ZAi was given. Values left null fall back to the environment, then to defaults.</summary>
    internal sealed class ConnectionOptions
    {
        public ApiKey? ApiKey { get; set; }

        /// <summary>What this connection learns of its accounts; each Connect-ZAi starts afresh.</summary>
        public ConnectionMemory Memory { get; } = new ConnectionMemory();

        public Uri? BaseUri { get; set; }

        public string? Language { get; set; }

        public TimeSpan? ConnectTimeout { get; set; }

        public TimeSpan? RequestTimeout { get; set; }

        public int? MaxRetries { get; set; }

        /// <summary>Save-ZAiMedia's connections per large file (Connect-ZAi -ConnectionsPerFile).</summary>
        public int? ConnectionsPerFile { get; set; }

        /// <summary>Save-ZAiMedia's size from which a file is split (Connect-ZAi -SplitThreshold).</summary>
        public long? SplitThreshold { get; set; }

        /// <summary>The prices of this connection (Connect-ZAi -PriceFile); null for the module's own.</summary>
        public Costs.Prices? Prices { get; set; }
        /// <summary>-Proxy, -ProxyCredential, -ProxyUseDefaultCredentials, -NoProxy; null when none was given.</summary>
        public ProxyOptions? Proxy { get; set; }

        public DateTime ConnectedAtUtc { get; set; } = DateTime.UtcNow;

        /// <summary>
        /// These options with what they leave out taken from the connection made before, so that
        /// Connect-ZAi -MaximumRetryCount 6 after Connect-ZAi -BaseUri keeps the base URI (and the key).
        /// Disconnect-ZAi forgets everything.
        /// </summary>
        public ConnectionOptions Over(ConnectionOptions? previous)
        {
            if (previous is null) return this;
            return new ConnectionOptions
            {
                ApiKey = ApiKey ?? previous.ApiKey,
                BaseUri = BaseUri ?? previous.BaseUri,
                Language = Language ?? previous.Language,
                ConnectTimeout = ConnectTimeout ?? previous.ConnectTimeout,
                RequestTimeout = RequestTimeout ?? previous.RequestTimeout,
                MaxRetries = MaxRetries ?? previous.MaxRetries,
                ConnectionsPerFile = ConnectionsPerFile ?? previous.ConnectionsPerFile,
                SplitThreshold = SplitThreshold ?? previous.SplitThreshold,
                Prices = Prices ?? previous.Prices,
                Proxy = Proxy?.Over(previous.Proxy) ?? previous.Proxy,
                ConnectedAtUtc = ConnectedAtUtc,
            };
        }
    }
}
