using System;
using System.Net.Http;
using System.Threading;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// The one HttpClient for media hosts (file CDNs, never the API). It has no access to the API key, so no
    /// request it sends can carry one, whichever host a link or redirect points to.
    /// </summary>
    internal static class MediaHttpClient
    {
        private static readonly Lazy<HttpClient> Shared = new Lazy<HttpClient>(
            () => new HttpClient(Client.HttpHandlerFactory.Create(TimeSpan.FromSeconds(30), forMedia: true), disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            LazyThreadSafetyMode.ExecutionAndPublication);

        public static HttpClient Instance => Shared.Value;
    }
}
