using System;
using System.Net;
using System.Security;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Connect-ZAi's parameters as given (null: not given), checked and turned into the options of a connection.
    /// A value left out keeps the previous connection's (see <see cref="ConnectionOptions.Over"/>).
    /// </summary>
    internal sealed class ConnectionRequest
    {
        /// <param name="given">The values given that need no check (language, time-outs, retries, download tuning); the checked ones are added to it.</param>
        public ConnectionRequest(ConnectionOptions? given = null)
        {
            Given = given ?? new ConnectionOptions();
        }

        public ConnectionOptions Given { get; }

        public SecureString? ApiKey { get; set; }

        /// <summary>International or China.</summary>
        public string? Region { get; set; }

        public string? BaseUri { get; set; }

        /// <summary>Any of -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials, -NoProxy was given: the proxy options are replaced.</summary>
        public bool ProxyGiven { get; set; }

        public Uri? Proxy { get; set; }

        public NetworkCredential? ProxyCredential { get; set; }

        public bool? ProxyUseDefaultCredentials { get; set; }

        public string[]? NoProxy { get; set; }

        /// <summary>The options these parameters make (<see cref="Given"/> with the checked values), before they are laid over the current connection.</summary>
        /// <exception cref="ArgumentException">A value Connect-ZAi refuses, named in the message.</exception>
        public ConnectionOptions Options()
        {
            var options = Given;
            if (ApiKey != null) options.ApiKey = Client.ApiKey.FromSecureString(ApiKey);
            if (BaseUri != null) options.BaseUri = BaseUriRules.Normalize(BaseUri, "-BaseUri");
            if (Region != null) options.BaseUri = Region == "China" ? BaseUriRules.China : BaseUriRules.International;
            options.Proxy = ProxyOptions();
            return options;
        }

        /// <summary>"Connected to ... with key ... from ..., proxy ...": what -Verbose says of the connection made.</summary>
        public static string Describe(ConnectionSettings settings)
        {
            var bypass = settings.Proxy.Bypass.IsEmpty ? string.Empty : $"; hosts without the proxy: {string.Join(", ", settings.Proxy.Bypass.Patterns)}";
            return $"Connected to {settings.BaseUri.AbsoluteUri} with key {settings.ApiKey} from {settings.ApiKeySource}, {settings.Proxy.Describe(settings.BaseUri)}{bypass}. The key is checked by the first call.";
        }

        /// <summary>The proxy parameters of this call, or null when none was given (the previous connection's stay).</summary>
        private ProxyOptions? ProxyOptions()
        {
            if (!ProxyGiven) return null;
            if (ProxyCredential != null && ProxyUseDefaultCredentials == true)
            {
                throw new ArgumentException("-ProxyCredential and -ProxyUseDefaultCredentials cannot be used together: give the proxy either a user name and password or your Windows logon.");
            }
            return new ProxyOptions
            {
                Address = Proxy is null ? null : ProxyEndpoint.ParseExplicit(Proxy),
                Credential = ProxyCredential,
                UseDefaultCredentials = ProxyUseDefaultCredentials,
                NoProxy = NoProxy is null ? null : ProxyBypassList.Parse(NoProxy, "-NoProxy", strict: true),
            };
        }
    }
}
