using System;
using System.Net;
using System.Text.RegularExpressions;

namespace ZAi.PowerShell.Client
{
    /// <summary>One proxy: its address (never with a user name or password in it), the credential it gets, and where it was set.</summary>
    internal sealed class ProxyEndpoint
    {
        private static readonly string[] SocksSchemes = { "socks4", "socks4a", "socks5" };

        public ProxyEndpoint(Uri address, NetworkCredential? credential, string source)
        {
            Address = address;
            Credential = credential;
            Source = source;
        }

        /// <summary>http://host:port/ (or socks5://host:port/ on PowerShell 7).</summary>
        public Uri Address { get; }

        /// <summary>The credential offered when the proxy asks (HTTP 407); null for none.</summary>
        public NetworkCredential? Credential { get; }

        /// <summary>Where the proxy was set: "Connect-ZAi", "HTTPS_PROXY", "System".</summary>
        public string Source { get; }

        /// <summary>The address as Get-ZAiContext and messages show it: http://proxy.corp:3128.</summary>
        public string Display => Address.GetLeftPart(UriPartial.Authority);

        /// <summary>
        /// Connect-ZAi -Proxy: an absolute http:// address (socks too where the runtime supports it), without a
        /// user name or password (those go in -ProxyCredential, so that no output that shows the address shows them).
        /// </summary>
        /// <exception cref="ArgumentException">The address is not one the module can use, with how to write it.</exception>
        public static Uri ParseExplicit(Uri value)
        {
            var text = value.OriginalString;
            if (!value.IsAbsoluteUri || value.Scheme.Length < 2 || string.IsNullOrEmpty(value.Host) || value.OriginalString.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                throw new ArgumentException($"-Proxy '{Redact(text)}' is not a proxy address: write it as http://host:port, for example http://proxy.corp:3128.");
            }
            if (value.UserInfo.Length > 0)
            {
                throw new ArgumentException("-Proxy must not hold a user name or password: give them with -ProxyCredential, which no output shows. Write the address as " + Redact(text).Replace("***@", string.Empty) + ".");
            }
            return CheckScheme(value, "-Proxy '" + text + "'");
        }

        /// <summary>
        /// An environment variable's value (HTTPS_PROXY=proxy.corp:3128, http://user:pass@proxy:3128): as .NET reads
        /// it, a value without a scheme is http://, and a user name and password in it become the credential.
        /// </summary>
        /// <exception cref="ArgumentException">The value is not a proxy address; the message never shows a password.</exception>
        public static ProxyEndpoint ParseEnvironment(string value, string variable)
        {
            var text = value.Trim();
            if (text.IndexOf("://", StringComparison.Ordinal) < 0) text = "http://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw new ArgumentException($"The {variable} environment variable ('{Redact(value)}') is not a proxy address: set it to http://host:port, or remove it.");
            }
            CheckScheme(uri, $"The {variable} environment variable ('{Redact(value)}')");
            NetworkCredential? credential = null;
            if (uri.UserInfo.Length > 0)
            {
                var colon = uri.UserInfo.IndexOf(':');
                var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo.Substring(0, colon));
                var password = colon < 0 ? string.Empty : Uri.UnescapeDataString(uri.UserInfo.Substring(colon + 1));
                credential = SplitDomain(user, password);
            }
            var address = new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri;
            return new ProxyEndpoint(address, credential, variable);
        }

        /// <summary>DOMAIN\user as NTLM and Negotiate expect it, as .NET does for environment proxies.</summary>
        private static NetworkCredential SplitDomain(string user, string password)
        {
            var slash = user.IndexOf('\\');
            return slash > 0 ? new NetworkCredential(user.Substring(slash + 1), password, user.Substring(0, slash)) : new NetworkCredential(user, password);
        }

        /// <summary>The text with anything between // and @ (a user name and password) replaced by ***.</summary>
        public static string Redact(string text) => Regex.Replace(text, "//[^/@]*@", "//***@");

        private static Uri CheckScheme(Uri uri, string what)
        {
            var scheme = uri.Scheme.ToLowerInvariant();
            if (scheme == "http") return new UriBuilder("http", uri.Host, uri.Port).Uri;
            if (Array.IndexOf(SocksSchemes, scheme) >= 0)
            {
                if (!HttpHandlerFactory.SupportsSocks)
                {
                    throw new ArgumentException($"{what} is a SOCKS proxy, which Windows PowerShell 5.1 (.NET Framework) cannot use: give an http:// proxy, or use PowerShell 7.");
                }
                if (uri.IsDefaultPort || uri.Port < 0) throw new ArgumentException($"{what} needs a port: {scheme}://host:1080.");
                return new UriBuilder(scheme, uri.Host, uri.Port).Uri;
            }
            if (scheme == "https")
            {
                throw new ArgumentException($"{what} is an https:// proxy address; the module talks to a proxy over http:// (https requests still go through it encrypted, in a CONNECT tunnel): write http://{uri.Authority}.");
            }
            throw new ArgumentException($"{what} has the scheme '{uri.Scheme}'; a proxy address is http://host:port.");
        }
    }
}
