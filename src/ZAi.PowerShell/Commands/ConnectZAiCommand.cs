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
            var request = new ConnectionRequest(new ConnectionOptions
            {
                Language = Language,
                ConnectTimeout = Given(nameof(ConnectTimeoutSec), TimeSpan.FromSeconds(ConnectTimeoutSec)),
                RequestTimeout = Given(nameof(RequestTimeoutSec), TimeSpan.FromSeconds(RequestTimeoutSec)),
                MaxRetries = Given(nameof(MaximumRetryCount), MaximumRetryCount),
                ConnectionsPerFile = Given(nameof(ConnectionsPerFile), ConnectionsPerFile),
                SplitThreshold = Given(nameof(SplitThreshold), SplitThreshold),
            })
            {
                ApiKey = ApiKey,
                Region = Region,
                BaseUri = BaseUri,
                ProxyGiven = Bound(nameof(Proxy)) || Bound(nameof(ProxyCredential)) || Bound(nameof(ProxyUseDefaultCredentials)) || Bound(nameof(NoProxy)),
                Proxy = Proxy,
                ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                ProxyUseDefaultCredentials = Given(nameof(ProxyUseDefaultCredentials), ProxyUseDefaultCredentials.IsPresent),
                NoProxy = NoProxy,
            };
            var context = ConnectionChange.Apply(request, PriceFile, Scope, PassThru, Sink, SessionState.Path.GetUnresolvedProviderPathFromPSPath, ThrowTerminatingError);
            if (context != null) WriteObject(context);
        }

        private T? Given<T>(string name, T value) where T : struct => Bound(name) ? value : (T?)null;

        private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
    }
}
