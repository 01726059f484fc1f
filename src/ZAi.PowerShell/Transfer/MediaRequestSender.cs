using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Sends a GET to a media host and follows its redirects itself (the handler follows none), so that each hop is
    /// checked by <see cref="MediaUrl.CheckRedirect"/> before a connection is opened to it.
    /// </summary>
    internal sealed class MediaRequestSender
    {
        public const int MaxRedirects = 10;
        private readonly Lazy<HttpClient> _client;

        public MediaRequestSender(HttpClient client)
            : this(() => client)
        {
        }

        /// <param name="client">Asked for the client at the first request, so a Save that downloads nothing builds none.</param>
        public MediaRequestSender(Func<HttpClient> client)
        {
            _client = new Lazy<HttpClient>(client, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <param name="configure">Adds headers (Range, If-Range) to the request of every hop.</param>
        /// <returns>The first response that is not a redirect; its RequestMessage names the URI that answered.</returns>
        public async Task<HttpResponseMessage> SendAsync(MediaItem item, Uri uri, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
        {
            for (var hop = 0; ; hop++)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                configure?.Invoke(request);
                HttpResponseMessage response;
                try
                {
                    response = await _client.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }
                catch (Client.ProxyFailureException ex)
                {
                    request.Dispose();
                    throw DownloadErrors.Proxy(item, ex);
                }
                catch
                {
                    request.Dispose();
                    throw;
                }
                var status = (int)response.StatusCode;
                var location = response.Headers.Location;
                if (!IsRedirect(status) || location is null) return response;
                response.Dispose();
                request.Dispose();
                if (hop >= MaxRedirects)
                {
                    throw new ZAiMediaException(MediaErrorReason.DownloadFailed, $"The link of the {item.Describe()} redirected more than {MaxRedirects} times; the last hop was {uri.Host}.", item.Url);
                }
                uri = MediaUrl.CheckRedirect(item, uri, location);
            }
        }

        private static bool IsRedirect(int status) => status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
