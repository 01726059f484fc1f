using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ZAi.PowerShell.Client
{
    internal enum ProxyFailureKind
    {
        /// <summary>The proxy answered 407 (or 401, as tinyproxy does to a wrong password): it wants credentials, or refused the ones given.</summary>
        AuthenticationRequired,
        /// <summary>No connection to the proxy itself: refused, unreachable, its name not found.</summary>
        Unreachable,
        /// <summary>The proxy answered a CONNECT with another error (403 by its rules, 502 when it cannot reach the host).</summary>
        TunnelRefused,
    }

    /// <summary>
    /// A request that failed at its proxy rather than at the host it was for. It is an HttpRequestException, so
    /// code that handles connection failures still does; the API and media senders turn it into their own errors
    /// with <see cref="Describe"/>, which names the proxy (and never a password).
    /// </summary>
    internal sealed class ProxyFailureException : HttpRequestException
    {
        public ProxyFailureException(ProxyFailureKind kind, ProxyEndpoint proxy, Uri target, int? statusCode, string detail, bool hadCredential)
            : base(Describe(kind, proxy, target, statusCode, detail, hadCredential))
        {
            Kind = kind;
            Proxy = proxy;
            Target = target;
            StatusCode = statusCode;
            HadCredential = hadCredential;
        }

        public ProxyFailureKind Kind { get; }

        public ProxyEndpoint Proxy { get; }

        public Uri Target { get; }

        /// <summary>The proxy's HTTP status (407, 403, 502...), or null when no answer came.</summary>
        public int? StatusCode { get; }

        public bool HadCredential { get; }

        /// <summary>A later attempt may pass: the proxy was down, or could not reach the host (502, 503, 504).</summary>
        public bool IsTransient => Kind == ProxyFailureKind.Unreachable || (Kind == ProxyFailureKind.TunnelRefused && StatusCode >= 500);

        /// <summary>What happened, naming the proxy, where it was set and the host it was to reach; the caller puts its subject first.</summary>
        public static string Describe(ProxyFailureKind kind, ProxyEndpoint proxy, Uri target, int? statusCode, string detail, bool hadCredential)
        {
            var host = target.Authority;
            var answer = statusCode == 401 ? "HTTP 401 Unauthorized" : "HTTP 407 Proxy Authentication Required";
            var from = $"(set by {ProxySourceText(proxy.Source)})";
            switch (kind)
            {
                case ProxyFailureKind.AuthenticationRequired:
                    return hadCredential
                        ? $"the proxy {proxy.Display} {from} refused the credentials it was given ({answer}); {host} was not reached"
                        : $"the proxy {proxy.Display} {from} asked for credentials ({answer}) and none were given; {host} was not reached";
                case ProxyFailureKind.Unreachable:
                    return $"the connection to the proxy {proxy.Display} {from} failed: {detail}; {host} was not reached";
                default:
                    return statusCode >= 500
                        ? $"the proxy {proxy.Display} {from} could not connect to {host}: HTTP {statusCode}"
                        : $"the proxy {proxy.Display} {from} refused to connect to {host}: HTTP {statusCode} (its rules may not allow this host or port)";
            }
        }

        /// <summary>"Connect-ZAi -Proxy", "the HTTPS_PROXY environment variable", "the system settings".</summary>
        public static string ProxySourceText(string source)
        {
            if (source == ProxyRoute.ExplicitSource) return "Connect-ZAi -Proxy";
            if (source == ProxyRoute.SystemSource) return "the system settings";
            return $"the {source} environment variable";
        }

        /// <summary>
        /// The proxy failure an exception from the handler stands for, or null when it is not the proxy's: a
        /// CONNECT answered with an error status (.NET: HttpRequestError.ProxyTunnelError; .NET Framework: a
        /// WebException with the proxy's response), or no connection at all (a request through a proxy connects
        /// to nothing else). A connection dropped later is the tunnel's, not the proxy's, and stays as it was.
        /// </summary>
        public static ProxyFailureException? From(Exception error, ProxyEndpoint proxy, Uri target, bool hadCredential)
        {
            var requestError = error.GetType().GetProperty("HttpRequestError")?.GetValue(error)?.ToString();
            if (requestError == "ProxyTunnelError" || (requestError is null && error.Message.IndexOf("proxy tunnel", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                var status = error.GetType().GetProperty("StatusCode")?.GetValue(error) is HttpStatusCode code ? (int)code : (int?)null;
                var match = Regex.Match(error.Message, @"status code\D{0,3}([1-5]\d\d)\b");
                if (status is null && match.Success) status = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                return Tunnel(status, proxy, target, error.Message, hadCredential);
            }
            for (var inner = error; inner != null; inner = inner.InnerException)
            {
                if (inner is WebException web)
                {
                    if (web.Response is HttpWebResponse response) return Tunnel((int)response.StatusCode, proxy, target, web.Message, hadCredential);
                    if (web.Status == WebExceptionStatus.ConnectFailure || web.Status == WebExceptionStatus.NameResolutionFailure || web.Status == WebExceptionStatus.ProxyNameResolutionFailure)
                    {
                        return new ProxyFailureException(ProxyFailureKind.Unreachable, proxy, target, null, Innermost(web).Message, hadCredential);
                    }
                }
            }
            if (requestError == "ConnectionError" || requestError == "NameResolutionError" || (requestError is null && Innermost(error) is SocketException))
            {
                return new ProxyFailureException(ProxyFailureKind.Unreachable, proxy, target, null, Innermost(error).Message, hadCredential);
            }
            return null;
        }

        /// <summary>A proxy's error answer to a CONNECT, or its 407 to a plain-http request forwarded through it.</summary>
        public static ProxyFailureException Tunnel(int? status, ProxyEndpoint proxy, Uri target, string detail, bool hadCredential) =>
            new ProxyFailureException(status == 407 || status == 401 ? ProxyFailureKind.AuthenticationRequired : ProxyFailureKind.TunnelRefused, proxy, target, status, detail, hadCredential);

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }
}
