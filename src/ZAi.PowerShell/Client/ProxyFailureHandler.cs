using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Sits in front of the handler of every client the module builds and knows its <see cref="ProxyRoute"/>:
    /// a failure at the proxy (no connection to it, a 407, a refused CONNECT) comes out as a
    /// <see cref="ProxyFailureException"/> that names the proxy instead of the host the request was for.
    /// </summary>
    internal sealed class ProxyFailureHandler : DelegatingHandler
    {
        public ProxyFailureHandler(ProxyRoute route, HttpMessageHandler inner)
            : base(inner)
        {
            Route = route;
        }

        public ProxyRoute Route { get; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.RequestUri!;
            var proxy = Route.EndpointFor(target);
            if (proxy is null) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException error) when (ProxyFailureException.From(error, proxy, target, Route.OffersCredentialFor(target)) is ProxyFailureException failure)
            {
                throw failure;
            }
            // A plain-http request is forwarded by the proxy, whose 407 then comes back as the response itself.
            if ((int)response.StatusCode == 407)
            {
                response.Dispose();
                throw ProxyFailureException.Tunnel(407, proxy, target, "HTTP 407", Route.OffersCredentialFor(target));
            }
            return response;
        }
    }
}
