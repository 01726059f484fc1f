using System;
using System.Net;

namespace ZAi.PowerShell.Client
{
    /// <summary>What Connect-ZAi was given about the proxy: -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials, -NoProxy.</summary>
    internal sealed class ProxyOptions
    {
        /// <summary>-Proxy, already checked (http://host:port/).</summary>
        public Uri? Address { get; set; }

        public NetworkCredential? Credential { get; set; }

        public bool? UseDefaultCredentials { get; set; }

        /// <summary>-NoProxy, parsed; null when not given.</summary>
        public ProxyBypassList? NoProxy { get; set; }

        /// <summary>Rules for the options merged with the previous connection's.</summary>
        /// <exception cref="ArgumentException">The options contradict each other.</exception>
        public void Validate()
        {
            if (Credential != null && Address is null)
            {
                throw new ArgumentException("-ProxyCredential needs -Proxy: a password goes only to a proxy named with -Proxy, not to one an environment variable or the system picks. Give -Proxy http://host:port with it (-ProxyUseDefaultCredentials works without -Proxy).");
            }
            if (Address != null && NoProxy?.All == true)
            {
                throw new ArgumentException($"-NoProxy '*' bypasses the proxy for every host, so -Proxy {Address.GetLeftPart(UriPartial.Authority)} would never be used: drop one of them.");
            }
        }

        /// <summary>
        /// These options over the previous connection's. A new -Proxy starts afresh: the previous proxy's
        /// credential and bypass list are never carried to another proxy. Otherwise what is left out is kept, so
        /// Connect-ZAi -ProxyCredential after Connect-ZAi -Proxy adds the credential to that proxy; -NoProxy '*'
        /// alone drops the proxy kept from before.
        /// </summary>
        public ProxyOptions Over(ProxyOptions? previous)
        {
            if (previous is null || Address != null) return this;
            if (NoProxy?.All == true) return new ProxyOptions { NoProxy = NoProxy };   // -NoProxy '*' alone: no proxy from now on
            var credential = Credential ?? (UseDefaultCredentials == true ? null : previous.Credential);
            var useDefault = UseDefaultCredentials ?? (Credential != null ? (bool?)null : previous.UseDefaultCredentials);
            return new ProxyOptions
            {
                Address = previous.Address,
                Credential = credential,
                UseDefaultCredentials = useDefault,
                NoProxy = NoProxy ?? previous.NoProxy,
            };
        }
    }
}
