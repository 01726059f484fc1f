using System;
using System.Management.Automation;
using System.Security;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Commands
{
    /// <summary>Connect-ZAi: sets the API key, region or base URI and call settings for the process, or with -Scope Runspace for this runspace only.</summary>
    [Cmdlet(VerbsCommunications.Connect, "ZAi", DefaultParameterSetName = RegionSet, HelpUri = HelpLinks.Docs + "Connect-ZAi.md")]
    [OutputType(typeof(ZAiContext))]
    public sealed class ConnectZAiCommand : ZAiCmdlet
    {
        private const string RegionSet = "Region";
        private const string BaseUriSet = "BaseUri";

        /// <summary>The Z.AI API key. When omitted, ZAI_API_KEY is used at each call.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        /// <summary>International (https://api.z.ai/api) or China (https://open.bigmodel.cn/api).</summary>
        [Parameter(ParameterSetName = RegionSet)]
        [ValidateSet("International", "China")]
        public string? Region { get; set; }

        /// <summary>The API base URI, e.g. https://api.z.ai/api. https only, except for loopback addresses.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BaseUriSet)]
        [Alias("BaseUrl")]
        [ValidateNotNullOrEmpty]
        public string? BaseUri { get; set; }

        /// <summary>The Accept-Language header sent on every call. Default: en-US,en.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Language { get; set; }

        /// <summary>Seconds allowed to open a connection. Default: 10.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int ConnectTimeoutSec { get; set; }

        /// <summary>Seconds allowed for each request attempt. Default: 60.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int RequestTimeoutSec { get; set; }

        /// <summary>How many times a transient failure (408, 429, 5xx, timeout, dropped connection) is retried. Default: 3.</summary>
        [Parameter]
        [Alias("MaxRetries", "RetryCount")]
        [ValidateRange(0, 20)]
        public int MaximumRetryCount { get; set; }

        /// <summary>How many connections Save-ZAiMedia opens for one large file from a host that offers byte ranges (1 to 16; 1 never splits). Default: 4.</summary>
        [Parameter]
        [ValidateRange(1, Client.DownloadTuning.MaxConnectionsPerFile)]
        public int ConnectionsPerFile { get; set; }

        /// <summary>Files of at least this many bytes are split over -ConnectionsPerFile connections (16MB works). Default: 16 MiB.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long SplitThreshold { get; set; }

        /// <summary>The proxy for API calls and media downloads, http://host:port (as for Invoke-RestMethod -Proxy). Default: HTTPS_PROXY, HTTP_PROXY or ALL_PROXY, else the system proxy.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The user name and password for the proxy named by -Proxy, sent when it asks (HTTP 407). Never shown by any output.</summary>
        [Parameter]
        [ValidateNotNull]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Gives the proxy the current user's Windows logon (Negotiate, NTLM) when it asks; works with -Proxy, the environment's proxy and the system proxy.</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>Hosts reached without the proxy, in NO_PROXY's syntax: example.com (and its subdomains), *.example.com, 10.0.0.0/8, host:port, &lt;local&gt;, or * for every host. An empty list clears it.</summary>
        [Parameter]
        [ValidateNotNull]
        [AllowEmptyCollection]
        public string[]? NoProxy { get; set; }

        /// <summary>Process (the default): every runspace without its own connection uses this one. Runspace: this runspace only, ahead of the process connection.</summary>
        [Parameter]
        public ConnectionScope Scope { get; set; } = ConnectionScope.Process;

        /// <summary>A JSON price file laid over the module's price table (estimates, -WhatIf and -MaximumCost) for this connection, in its -Scope: { "date": "2026-09-01", "prices": { "cogvideox-3": 0.25 } }.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PriceFile { get; set; }

        /// <summary>Outputs the resulting context.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var options = new ConnectionOptions
            {
                Language = Language,
                ConnectTimeout = Bound(nameof(ConnectTimeoutSec)) ? TimeSpan.FromSeconds(ConnectTimeoutSec) : (TimeSpan?)null,
                RequestTimeout = Bound(nameof(RequestTimeoutSec)) ? TimeSpan.FromSeconds(RequestTimeoutSec) : (TimeSpan?)null,
                MaxRetries = Bound(nameof(MaximumRetryCount)) ? MaximumRetryCount : (int?)null,
                ConnectionsPerFile = Bound(nameof(ConnectionsPerFile)) ? ConnectionsPerFile : (int?)null,
                SplitThreshold = Bound(nameof(SplitThreshold)) ? SplitThreshold : (long?)null,
            };

            try
            {
                if (ApiKey != null) options.ApiKey = Client.ApiKey.FromSecureString(ApiKey);
                if (BaseUri != null) options.BaseUri = BaseUriRules.Normalize(BaseUri, "-BaseUri");
                if (Region != null) options.BaseUri = Region == "China" ? BaseUriRules.China : BaseUriRules.International;
                options.Proxy = ProxyOptionsGiven();
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidConfiguration, ex.Message, null));
                return;
            }

            if (PriceFile != null) options.Prices = LoadPriceFile(PriceFile);
            options = options.Over(ZAiSession.Connection);
            ConnectionSettings settings;
            try
            {
                options.Proxy?.Validate();
                settings = ZAiSession.Resolve(options, Environment.GetEnvironmentVariable);
                settings.RequireApiKey();
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidConfiguration, ex.Message, null));
                return;
            }
            catch (ZAiApiException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromException(ex, null));
                return;
            }

            ZAiSession.Connect(options, Scope);
            WriteVerbose($"Connected to {settings.BaseUri.AbsoluteUri} with key {settings.ApiKey} from {settings.ApiKeySource}{DescribeProxy(settings)}. The key is checked by the first call.");
            if (PassThru) WriteObject(new ZAiContext(settings, options.ConnectedAtUtc));
        }

        /// <summary>The price file laid over the module's table, for this connection only (its scope); a bad file connects nothing.</summary>
        private Costs.Prices LoadPriceFile(string path)
        {
            var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            try
            {
                var prices = Costs.Prices.Load(full);
                WriteVerbose($"Cost estimates of this connection ({(Scope == ConnectionScope.Runspace ? "this runspace" : "the process")}) now use the {prices.Table.Describe()} ({prices.Table.Entries.Count} models).");
                return prices;
            }
            catch (Exception ex) when (ex is FormatException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorTable.InvalidPriceFile, ErrorCategory.InvalidData, path));
                throw;
            }
        }

        /// <summary>The proxy parameters of this call, or null when none was given (the previous connection's stay).</summary>
        private ProxyOptions? ProxyOptionsGiven()
        {
            if (!Bound(nameof(Proxy)) && !Bound(nameof(ProxyCredential)) && !Bound(nameof(ProxyUseDefaultCredentials)) && !Bound(nameof(NoProxy))) return null;
            if (ProxyCredential != null && ProxyUseDefaultCredentials.IsPresent)
            {
                throw new ArgumentException("-ProxyCredential and -ProxyUseDefaultCredentials cannot be used together: give the proxy either a user name and password or your Windows logon.");
            }
            return new ProxyOptions
            {
                Address = Proxy is null ? null : ProxyEndpoint.ParseExplicit(Proxy),
                Credential = ProxyCredential?.GetNetworkCredential(),
                UseDefaultCredentials = Bound(nameof(ProxyUseDefaultCredentials)) ? ProxyUseDefaultCredentials.IsPresent : (bool?)null,
                NoProxy = NoProxy is null ? null : ProxyBypassList.Parse(NoProxy, "-NoProxy", strict: true),
            };
        }

        private static string DescribeProxy(ConnectionSettings settings)
        {
            var bypass = settings.Proxy.Bypass.IsEmpty ? string.Empty : $"; hosts without the proxy: {string.Join(", ", settings.Proxy.Bypass.Patterns)}";
            return ", " + settings.Proxy.Describe(settings.BaseUri) + bypass;
        }

        private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
    }
}
