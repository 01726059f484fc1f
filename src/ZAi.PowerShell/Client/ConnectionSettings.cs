using System;
using ZAi.PowerShell.Costs;

namespace ZAi.PowerShell.Client
{
    /// <summary>Everything a call needs to reach the API. Immutable, so it is safe to share between threads.</summary>
    internal sealed class ConnectionSettings
    {
        public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);
        public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(60);
        public const int DefaultMaxRetries = 3;
        public const string DefaultLanguage = "en-US,en";

        public ConnectionSettings(
            Uri baseUri,
            string baseUriSource,
            ApiKey? apiKey,
            string apiKeySource,
            string language,
            TimeSpan connectTimeout,
            TimeSpan requestTimeout,
            int maxRetries,
            int connectionsPerFile = Client.DownloadTuning.DefaultConnectionsPerFile,
            long splitThreshold = Client.DownloadTuning.DefaultSplitThreshold,
            ConnectionMemory? memory = null,
            Costs.Prices? prices = null,
            ProxyRoute? proxy = null)
        {
            Prices = prices ?? Costs.Prices.BuiltIn;
            Proxy = proxy ?? ProxyRoute.Resolve(null, Environment.GetEnvironmentVariable);
            Memory = memory ?? ConnectionMemory.Environment;
            BaseUri = baseUri;
            BaseUriSource = baseUriSource;
            ApiKey = apiKey;
            ApiKeySource = apiKeySource;
            Language = HeaderValue.Check(language, "-Language (the Accept-Language header)");
            ConnectTimeout = connectTimeout;
            RequestTimeout = requestTimeout;
            MaxRetries = maxRetries;
            ConnectionsPerFile = connectionsPerFile;
            SplitThreshold = splitThreshold;
        }

        /// <summary>What the session learns while it uses this connection (its accounts: see Submitting's <c>Account()</c>).</summary>
        public ConnectionMemory Memory { get; }

        /// <summary>The prices this connection's estimates use: its -PriceFile over the module's table, or the module's own.</summary>
        public Costs.Prices Prices { get; }

        /// <summary>Base URI with a trailing slash, e.g. https://api.z.ai/api/.</summary>
        public Uri BaseUri { get; }

        public string BaseUriSource { get; }

        public ApiKey? ApiKey { get; }

        public string ApiKeySource { get; }

        public string Language { get; }

        public TimeSpan ConnectTimeout { get; }

        public TimeSpan RequestTimeout { get; }

        public int MaxRetries { get; }

        /// <summary>Connections Save-ZAiMedia uses for one large file from a host that offers ranges.</summary>
        public int ConnectionsPerFile { get; }

        /// <summary>Files of at least this many bytes are split over <see cref="ConnectionsPerFile"/> connections.</summary>
        public long SplitThreshold { get; }

        /// <summary>The proxy of every API call and media download (Connect-ZAi -Proxy, the environment, the system).</summary>
        public ProxyRoute Proxy { get; }

        /// <summary>The key, or an exception that says how to provide one.</summary>
        public ApiKey RequireApiKey()
        {
            return ApiKey ?? throw new ZAiApiException(
                ZAiErrorReason.ApiKeyMissing,
                "No Z.AI API key is set. Run Connect-ZAi -ApiKey (Read-Host -AsSecureString) or set the ZAI_API_KEY environment variable.");
        }
    }
}
