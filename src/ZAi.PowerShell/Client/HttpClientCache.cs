using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// One HttpClient per base address (and connect timeout and proxy settings) for the life of the process, so calls reuse
    /// pooled connections instead of opening sockets each time. HttpClient is thread-safe for sending.
    /// </summary>
    internal static class HttpClientCache
    {
        private static readonly ConcurrentDictionary<string, Lazy<HttpClient>> Clients =
            new ConcurrentDictionary<string, Lazy<HttpClient>>(StringComparer.OrdinalIgnoreCase);

        /// <param name="proxy">Null: the environment and system proxy settings alone.</param>
        public static HttpClient For(Uri baseUri, TimeSpan connectTimeout, ProxyRoute? proxy = null)
        {
            proxy ??= ProxyRoute.Resolve(null, Environment.GetEnvironmentVariable);
            return Clients.GetOrAdd(
                Key(baseUri, connectTimeout, proxy),
                _ => new Lazy<HttpClient>(() => Create(connectTimeout, proxy), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        }

        /// <summary>Whether <see cref="For"/> has built the client of these settings.</summary>
        internal static bool Built(Uri baseUri, TimeSpan connectTimeout, ProxyRoute proxy) =>
            Clients.TryGetValue(Key(baseUri, connectTimeout, proxy), out var client) && client.IsValueCreated;

        private static string Key(Uri baseUri, TimeSpan connectTimeout, ProxyRoute proxy) =>
            baseUri.GetLeftPart(UriPartial.Authority) + "|" + connectTimeout.Ticks + "|" + proxy.Key;

        private static HttpClient Create(TimeSpan connectTimeout, ProxyRoute proxy)
        {
            // Timeouts are applied per attempt by the sender, so the client itself never times out.
            return new HttpClient(HttpHandlerFactory.Create(connectTimeout, proxy: proxy), disposeHandler: true)
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
        }
    }
}
