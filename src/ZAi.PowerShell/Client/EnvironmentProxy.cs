using System;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// The proxy that environment variables set, read the way .NET reads them on PowerShell 7, so that Windows
    /// PowerShell 5.1 (which reads none of them) behaves the same: https requests use https_proxy/HTTPS_PROXY,
    /// http requests http_proxy/HTTP_PROXY (not HTTP_PROXY in a CGI process, where a request header can set it),
    /// both fall back to all_proxy/ALL_PROXY; no_proxy/NO_PROXY lists the hosts that go without.
    /// </summary>
    internal sealed class EnvironmentProxy
    {
        private EnvironmentProxy(ProxyEndpoint? https, ProxyEndpoint? http, ProxyEndpoint? all, ProxyBypassList noProxy, string? noProxyVariable)
        {
            Https = https;
            Http = http;
            All = all;
            NoProxy = noProxy;
            NoProxyVariable = noProxyVariable;
        }

        public ProxyEndpoint? Https { get; }

        public ProxyEndpoint? Http { get; }

        public ProxyEndpoint? All { get; }

        public ProxyBypassList NoProxy { get; }

        /// <summary>The variable NoProxy came from (no_proxy or NO_PROXY), or null.</summary>
        public string? NoProxyVariable { get; }

        /// <summary>The proxy variables, or null when none is set (then the system proxy applies).</summary>
        /// <exception cref="ArgumentException">A variable is set to something that is not a proxy address.</exception>
        public static EnvironmentProxy? Read(Func<string, string?> readEnvironment)
        {
            var cgi = !string.IsNullOrEmpty(readEnvironment("GATEWAY_INTERFACE"));
            var https = Endpoint(readEnvironment, "https_proxy", "HTTPS_PROXY");
            var http = cgi ? Endpoint(readEnvironment, "http_proxy") : Endpoint(readEnvironment, "http_proxy", "HTTP_PROXY");
            var all = Endpoint(readEnvironment, "all_proxy", "ALL_PROXY");
            if (https is null && http is null && all is null) return null;
            var noProxyVariable = First(readEnvironment, out var noProxy, "no_proxy", "NO_PROXY");
            return new EnvironmentProxy(https, http, all, ProxyBypassList.Parse(new[] { noProxy }, noProxyVariable ?? "NO_PROXY", strict: false), noProxyVariable);
        }

        /// <summary>The proxy for a request to <paramref name="target"/>, before any bypass list; null when its scheme has none.</summary>
        public ProxyEndpoint? For(Uri target)
        {
            var scheme = target.Scheme.ToLowerInvariant();
            if (scheme == "https") return Https ?? All;
            if (scheme == "http") return Http ?? All;
            return null;
        }

        private static ProxyEndpoint? Endpoint(Func<string, string?> readEnvironment, params string[] names)
        {
            var name = First(readEnvironment, out var value, names);
            return name is null ? null : ProxyEndpoint.ParseEnvironment(value!, name);
        }

        private static string? First(Func<string, string?> readEnvironment, out string? value, params string[] names)
        {
            foreach (var name in names)
            {
                value = readEnvironment(name);
                if (!string.IsNullOrWhiteSpace(value)) return name;
            }
            value = null;
            return null;
        }
    }
}
