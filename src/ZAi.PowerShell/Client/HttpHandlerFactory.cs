using System;
using System.Net;
using System.Net.Http;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Builds the message handler. On PowerShell 7 (.NET) it is SocketsHttpHandler, which has a real connect
    /// timeout and recycles pooled connections so DNS changes are seen; netstandard2.0 cannot name that type,
    /// so it is created by reflection. Windows PowerShell 5.1 gets HttpClientHandler, where the request timeout
    /// also bounds connecting. Both get the module's <see cref="ProxyRoute"/> as their proxy (on .NET Framework
    /// that is what makes -Proxy and HTTPS_PROXY work, as it reads only the system proxy by itself), wrapped in a
    /// <see cref="ProxyFailureHandler"/> so that a failure at the proxy names the proxy.
    /// </summary>
    internal static class HttpHandlerFactory
    {
        private static readonly Type? SocketsHandlerType =
            Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);

        /// <summary>True where the runtime can use a SOCKS proxy (.NET's SocketsHttpHandler; not .NET Framework).</summary>
        public static bool SupportsSocks => SocketsHandlerType != null;

        /// <param name="forMedia">Media hosts: keep bytes as sent. No handler follows redirects: the API never redirects, and the
        /// media downloader follows them itself so that it can refuse a hop to a link-local or metadata host before connecting.</param>
        /// <param name="proxy">Null: the route of the environment and system settings alone.</param>
        public static HttpMessageHandler Create(TimeSpan connectTimeout, bool forMedia = false, ProxyRoute? proxy = null)
        {
            proxy ??= ProxyRoute.Resolve(null, Environment.GetEnvironmentVariable);
            return new ProxyFailureHandler(proxy, CreateInner(connectTimeout, forMedia, proxy, classic: SocketsHandlerType is null));
        }

        /// <param name="classic">HttpClientHandler, as on Windows PowerShell 5.1 (tests build it on .NET to check it gets the proxy).</param>
        internal static HttpMessageHandler CreateInner(TimeSpan connectTimeout, bool forMedia, IWebProxy proxy, bool classic)
        {
            if (!classic)
            {
                var handler = (HttpMessageHandler)Activator.CreateInstance(SocketsHandlerType!)!;
                Set(handler, "ConnectTimeout", connectTimeout);
                Set(handler, "PooledConnectionLifetime", TimeSpan.FromMinutes(5));
                Set(handler, "PooledConnectionIdleTimeout", TimeSpan.FromSeconds(60));
                Set(handler, "AllowAutoRedirect", false);
                Set(handler, "UseCookies", false);
                Set(handler, "AutomaticDecompression", forMedia ? DecompressionMethods.None : DecompressionMethods.GZip | DecompressionMethods.Deflate);
                Set(handler, "UseProxy", true);
                Set(handler, "Proxy", proxy);
                return handler;
            }

            var handlerForFramework = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = forMedia ? DecompressionMethods.None : DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseProxy = true,
                Proxy = proxy,
            };
            try
            {
                // .NET Framework allows two connections per host unless told otherwise.
                handlerForFramework.MaxConnectionsPerServer = 64;
            }
            catch (PlatformNotSupportedException)
            {
            }
            return handlerForFramework;
        }

        private static void Set(object target, string property, object value)
        {
            target.GetType().GetProperty(property)?.SetValue(target, value);
        }
    }
}
