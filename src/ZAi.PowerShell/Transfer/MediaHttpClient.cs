using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// The HttpClient for media hosts (file CDNs, never the API): one per proxy setting for the life of the
    /// process, so every download and every range of one shares its pooled connections. It has no access to the
    /// API key, so no request it sends can carry one, whichever host a link or redirect points to.
    /// </summary>
    internal static class MediaHttpClient
    {
        private static readonly ConcurrentDictionary<string, Lazy<HttpClient>> Clients =
            new ConcurrentDictionary<string, Lazy<HttpClient>>(StringComparer.Ordinal);

        /// <summary>The client of the environment and system proxy settings.</summary>
        public static HttpClient Instance => For(ProxyRoute.Resolve(null, Environment.GetEnvironmentVariable));

        public static HttpClient For(ProxyRoute proxy) =>
            Clients.GetOrAdd(proxy.Key, _ => new Lazy<HttpClient>(() => Create(proxy), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

        /// <summary>A new client as <see cref="For"/> shares it (tests that must not share pooled connections own one).</summary>
        internal static HttpClient Create(ProxyRoute proxy) =>
            new HttpClient(HttpHandlerFactory.Create(TimeSpan.FromSeconds(30), forMedia: true, proxy: proxy), disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };

        internal static int Count => Clients.Count;
    }
}
