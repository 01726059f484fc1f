using System;
using System.Net;
using System.Net.Http;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Builds the message handler. On PowerShell 7 (.NET) it is SocketsHttpHandler, which has a real connect
    /// timeout and recycles pooled connections so DNS changes are seen; netstandard2.0 cannot name that type,
    /// so it is created by reflection. Windows PowerShell 5.1 gets HttpClientHandler, where the request timeout
    /// also bounds connecting.
    /// </summary>
    internal static class HttpHandlerFactory
    {
        private static readonly Type? SocketsHandlerType =
            Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);

        /// <param name="forMedia">Media hosts: keep bytes as sent. No handler follows redirects: the API never redirects, and the
        /// media downloader follows them itself so that it can refuse a hop to a link-local or metadata host before connecting.</param>
        public static HttpMessageHandler Create(TimeSpan connectTimeout, bool forMedia = false)
        {
            if (SocketsHandlerType != null)
            {
                var handler = (HttpMessageHandler)Activator.CreateInstance(SocketsHandlerType)!;
                Set(handler, "ConnectTimeout", connectTimeout);
                Set(handler, "PooledConnectionLifetime", TimeSpan.FromMinutes(5));
                Set(handler, "PooledConnectionIdleTimeout", TimeSpan.FromSeconds(60));
                Set(handler, "AllowAutoRedirect", false);
                Set(handler, "UseCookies", false);
                Set(handler, "AutomaticDecompression", forMedia ? DecompressionMethods.None : DecompressionMethods.GZip | DecompressionMethods.Deflate);
                return handler;
            }

            var classic = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = forMedia ? DecompressionMethods.None : DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            try
            {
                // .NET Framework allows two connections per host unless told otherwise.
                classic.MaxConnectionsPerServer = 64;
            }
            catch (PlatformNotSupportedException)
            {
            }
            return classic;
        }

        private static void Set(object target, string property, object value)
        {
            target.GetType().GetProperty(property)?.SetValue(target, value);
        }
    }
}
