using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Which proxy a request goes through, decided the same way on PowerShell 7 and Windows PowerShell 5.1:
    /// Connect-ZAi -Proxy, else the environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY with NO_PROXY), else the
    /// system proxy; -NoProxy bypasses it for the hosts it lists, whatever its source. Plain http to a loopback
    /// address never goes through a proxy: the module sends the API key over plain http only to this machine.
    /// Immutable; the handler of every HttpClient built for these settings holds one (see <see cref="Key"/>).
    /// </summary>
    internal sealed class ProxyRoute : IWebProxy, ICredentials
    {
        public const string ExplicitSource = "Connect-ZAi";
        public const string SystemSource = "System";
        public const string NoneSource = "None";

        private readonly ProxyEndpoint? _explicit;
        private readonly EnvironmentProxy? _environment;
        private readonly ProxyBypassList _bypass;
        private readonly bool _useDefaultCredentials;
        private readonly Func<IWebProxy?>? _systemProxy;

        private ProxyRoute(ProxyEndpoint? explicitProxy, EnvironmentProxy? environment, Func<IWebProxy?>? systemProxy, ProxyBypassList bypass, bool useDefaultCredentials)
        {
            _explicit = explicitProxy;
            _environment = environment;
            _systemProxy = systemProxy;
            _bypass = bypass;
            _useDefaultCredentials = useDefaultCredentials;
            Key = BuildKey();
        }

        /// <summary>No proxy for any host.</summary>
        public static ProxyRoute Direct { get; } = new ProxyRoute(null, null, null, ProxyBypassList.Parse(new[] { "*" }, "-NoProxy", strict: true), false);

        /// <summary>
        /// The route for Connect-ZAi's proxy options (null: none given) and the environment. The system proxy is
        /// read at each request (WebRequest.DefaultWebProxy: Internet Options on Windows), so a change to it applies.
        /// </summary>
        /// <exception cref="ArgumentException">A proxy environment variable is not a proxy address.</exception>
        public static ProxyRoute Resolve(ProxyOptions? options, Func<string, string?> readEnvironment, Func<IWebProxy?>? systemProxy = null)
        {
            var noProxy = options?.NoProxy ?? ProxyBypassList.Empty;
            var useDefault = options?.UseDefaultCredentials == true;
            if (options?.Address != null)
            {
                return new ProxyRoute(new ProxyEndpoint(options.Address, options.Credential, ExplicitSource), null, null, noProxy, useDefault);
            }
            if (noProxy.All) return new ProxyRoute(null, null, null, noProxy, false);
            var environment = EnvironmentProxy.Read(readEnvironment);
            if (environment != null) return new ProxyRoute(null, environment, null, noProxy.Concat(environment.NoProxy), useDefault);
            return new ProxyRoute(null, null, systemProxy ?? (() => WebRequest.DefaultWebProxy), noProxy, useDefault);
        }

        /// <summary>What HttpClientCache and the media client are keyed on: two routes with the same key send alike. Holds no password.</summary>
        public string Key { get; }

        /// <summary>Where the proxy setting comes from: Connect-ZAi, the variable that applies to <paramref name="target"/>, System or None.</summary>
        public string SourceFor(Uri target)
        {
            if (_explicit != null) return ExplicitSource;
            if (_environment != null) return (_environment.For(target) ?? _environment.Https ?? _environment.Http ?? _environment.All)!.Source;
            return _systemProxy != null ? SystemSource : NoneSource;
        }

        /// <summary>The bypass list in effect: -NoProxy, then NO_PROXY when the proxy comes from the environment.</summary>
        public ProxyBypassList Bypass => _bypass;

        /// <summary>Who the proxy is told the user is: a user name, "(default credentials)", or null.</summary>
        public string? UserFor(Uri target)
        {
            if (_useDefaultCredentials) return "(default credentials)";
            var credential = EndpointFor(target)?.Credential;
            if (credential is null) return null;
            return string.IsNullOrEmpty(credential.Domain) ? credential.UserName : credential.Domain + "\\" + credential.UserName;
        }

        /// <summary>The proxy a request to <paramref name="target"/> goes through, or null when it goes direct.</summary>
        public ProxyEndpoint? EndpointFor(Uri target)
        {
            if (target.Scheme == Uri.UriSchemeHttp && target.IsLoopback) return null;
            if (_bypass.Matches(target)) return null;
            if (_explicit != null) return _explicit;
            if (_environment != null) return _environment.For(target);
            var system = _systemProxy?.Invoke();
            if (system is null || system.IsBypassed(target)) return null;
            var address = system.GetProxy(target);
            if (address is null || !address.IsAbsoluteUri || address == target) return null;
            return new ProxyEndpoint(address, null, SystemSource);
        }

        /// <summary>"through the proxy http://proxy:3128 (set by Connect-ZAi -Proxy)" or "without a proxy", for -Verbose; never a password.</summary>
        public string Describe(Uri target)
        {
            var proxy = EndpointFor(target);
            return proxy is null ? "without a proxy" : $"through the proxy {proxy.Display} (set by {ProxyFailureException.ProxySourceText(proxy.Source)})";
        }

        /// <summary>True when the proxy of <paramref name="target"/> is given a credential if it asks for one.</summary>
        public bool OffersCredentialFor(Uri target) =>
            _useDefaultCredentials || EndpointFor(target)?.Credential != null || (_systemProxy != null && _systemProxy()?.Credentials != null);

        ICredentials? IWebProxy.Credentials
        {
            get => this;
            set => throw new NotSupportedException("The proxy route is immutable: connect again with other credentials.");
        }

        Uri IWebProxy.GetProxy(Uri destination) => EndpointFor(destination)?.Address ?? destination;

        bool IWebProxy.IsBypassed(Uri host) => EndpointFor(host) is null;

        /// <summary>The credential for the proxy at <paramref name="uri"/> only: one proxy's password never goes to another.</summary>
        NetworkCredential? ICredentials.GetCredential(Uri uri, string authType)
        {
            if (_useDefaultCredentials) return CredentialCache.DefaultNetworkCredentials;
            foreach (var endpoint in new[] { _explicit, _environment?.Https, _environment?.Http, _environment?.All })
            {
                if (endpoint?.Credential != null && SameAuthority(endpoint.Address, uri)) return endpoint.Credential;
            }
            return _systemProxy?.Invoke()?.Credentials?.GetCredential(uri, authType);
        }

        private static bool SameAuthority(Uri a, Uri b) =>
            string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

        private string BuildKey()
        {
            var builder = new StringBuilder();
            if (_explicit != null) builder.Append("proxy=").Append(Describe(_explicit));
            else if (_environment != null) builder.Append("env=").Append(Describe(_environment.Https)).Append(',').Append(Describe(_environment.Http)).Append(',').Append(Describe(_environment.All));
            else if (_systemProxy != null) builder.Append("system");
            else builder.Append("none");
            builder.Append("|default=").Append(_useDefaultCredentials ? '1' : '0');
            builder.Append("|bypass=").Append(string.Join(",", _bypass.Patterns));
            return builder.ToString();
        }

        private static string Describe(ProxyEndpoint? endpoint) =>
            endpoint is null ? "-" : endpoint.Address.AbsoluteUri + "#" + Fingerprint(endpoint.Credential);

        /// <summary>A digest of the credential, so that a new password makes a new client without the key holding it.</summary>
        private static string Fingerprint(NetworkCredential? credential)
        {
            if (credential is null) return "none";
            using var sha = SHA256.Create();
            var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(credential.Domain + "\0" + credential.UserName + "\0" + credential.Password));
            return string.Concat(digest.Take(8).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
