using System;

namespace ZAi.PowerShell.Client
{
    /// <summary>What Connect-ZAi was given. Values left null fall back to the environment, then to defaults.</summary>
    internal sealed class ConnectionOptions
    {
        public ApiKey? ApiKey { get; set; }

        public Uri? BaseUri { get; set; }

        public string? Language { get; set; }

        public TimeSpan? ConnectTimeout { get; set; }

        public TimeSpan? RequestTimeout { get; set; }

        public int? MaxRetries { get; set; }

        public DateTime ConnectedAtUtc { get; set; } = DateTime.UtcNow;
    }
}
