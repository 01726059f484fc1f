using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;
using Xunit;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Tests.Proxy;

/// <summary>Which failures are the proxy's, and what their errors say: the proxy, where it was set, the host not reached.</summary>
public class ProxyFailureTests
{
    private static readonly Uri Target = new("https://api.z.ai/api/paas/v4/async-result/t1");
    private static readonly ProxyEndpoint FromConnect = new(new Uri("http://proxy.corp:3128/"), null, ProxyRoute.ExplicitSource);

    private static HttpRequestException TunnelError(HttpStatusCode status) =>
        new(HttpRequestError.ProxyTunnelError, $"The proxy tunnel request to proxy 'http://proxy.corp:3128/' failed with status code '{(int)status}'.", null, status);

    [Fact]
    public void A407ToTheTunnelAsksForCredentialsNamingTheProxyAndTheHostNotReached()
    {
        var failure = ProxyFailureException.From(TunnelError(HttpStatusCode.ProxyAuthenticationRequired), FromConnect, Target, hadCredential: false)!;

        Assert.Equal(ProxyFailureKind.AuthenticationRequired, failure.Kind);
        Assert.Equal(407, failure.StatusCode);
        Assert.False(failure.IsTransient);
        Assert.Equal("the proxy http://proxy.corp:3128 (set by Connect-ZAi -Proxy) asked for credentials (HTTP 407 Proxy Authentication Required) and none were given; api.z.ai was not reached", failure.Message);
    }

    [Fact]
    public void A401Or407AfterCredentialsSaysTheyWereRefused()
    {
        var failure = ProxyFailureException.From(TunnelError(HttpStatusCode.Unauthorized), FromConnect, Target, hadCredential: true)!;

        Assert.Equal(ProxyFailureKind.AuthenticationRequired, failure.Kind);
        Assert.Equal("the proxy http://proxy.corp:3128 (set by Connect-ZAi -Proxy) refused the credentials it was given (HTTP 401 Unauthorized); api.z.ai was not reached", failure.Message);
    }

    [Fact]
    public void TheStatusIsReadFromTheMessageWhenTheExceptionDoesNotCarryIt()
    {
        var error = new HttpRequestException(HttpRequestError.ProxyTunnelError, "The proxy tunnel request to proxy 'http://127.0.0.1:3128/' failed with status code '407'.");

        Assert.Equal(407, ProxyFailureException.From(error, FromConnect, Target, false)!.StatusCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, true, "the proxy http://proxy.corp:3128 (set by Connect-ZAi -Proxy) could not connect to api.z.ai: HTTP 502")]
    [InlineData(HttpStatusCode.Forbidden, false, "the proxy http://proxy.corp:3128 (set by Connect-ZAi -Proxy) refused to connect to api.z.ai: HTTP 403 (its rules may not allow this host or port)")]
    public void AnotherTunnelAnswerNamesTheProxyAndRetriesOnlyAGatewayFailure(HttpStatusCode status, bool transient, string message)
    {
        var failure = ProxyFailureException.From(TunnelError(status), FromConnect, Target, false)!;

        Assert.Equal(ProxyFailureKind.TunnelRefused, failure.Kind);
        Assert.Equal(transient, failure.IsTransient);
        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public void NoConnectionToTheProxyNamesTheProxyAndWhereItWasSet()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (proxy.corp:3128)", new SocketException((int)SocketError.ConnectionRefused));
        var fromEnvironment = new ProxyEndpoint(new Uri("http://proxy.corp:3128/"), null, "HTTPS_PROXY");

        var failure = ProxyFailureException.From(refused, fromEnvironment, Target, false)!;

        Assert.Equal(ProxyFailureKind.Unreachable, failure.Kind);
        Assert.True(failure.IsTransient);
        Assert.Equal($"the connection to the proxy http://proxy.corp:3128 (set by the HTTPS_PROXY environment variable) failed: {new SocketException((int)SocketError.ConnectionRefused).Message}; api.z.ai was not reached", failure.Message);
    }

    [Fact]
    public void DotNetFrameworksConnectFailureIsTheProxysToo()
    {
        var web = new WebException("Unable to connect to the remote server", new SocketException((int)SocketError.ConnectionRefused), WebExceptionStatus.ConnectFailure, null);
        var system = new ProxyEndpoint(new Uri("http://proxy.corp:8080/"), null, ProxyRoute.SystemSource);

        var failure = ProxyFailureException.From(new HttpRequestException("An error occurred while sending the request.", web), system, Target, false)!;

        Assert.Equal(ProxyFailureKind.Unreachable, failure.Kind);
        Assert.StartsWith("the connection to the proxy http://proxy.corp:8080 (set by the system settings) failed: ", failure.Message);
    }

    [Fact]
    public void AConnectionDroppedAfterTheTunnelIsNotTheProxysFailure()
    {
        var ended = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("reset"));

        Assert.Null(ProxyFailureException.From(ended, FromConnect, Target, false));
    }

    [Fact]
    public async Task TheHandlerTurnsAProxys407AndAnUnreachableProxyIntoProxyFailuresAndLeavesDirectRequestsAlone()
    {
        var route = ProxyRoute.Resolve(new ProxyOptions { Address = new Uri("http://proxy.corp:3128/"), NoProxy = ProxyBypassList.Parse(new[] { "direct.example" }, "-NoProxy", true) }, _ => null);
        using var answers407 = new HttpMessageInvoker(new ProxyFailureHandler(route, new Answer(_ => new HttpResponseMessage(HttpStatusCode.ProxyAuthenticationRequired))));
        using var refuses = new HttpMessageInvoker(new ProxyFailureHandler(route, new Answer(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)))));

        var auth = await Assert.ThrowsAsync<ProxyFailureException>(() => answers407.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://plain.example/v.mp4"), default));
        var down = await Assert.ThrowsAsync<ProxyFailureException>(() => refuses.SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), default));
        using var direct = await answers407.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://direct.example/"), default);
        var directDown = await Assert.ThrowsAsync<HttpRequestException>(() => refuses.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://direct.example/"), default));

        Assert.Equal(ProxyFailureKind.AuthenticationRequired, auth.Kind);
        Assert.Equal("plain.example", auth.Target.Host);
        Assert.Equal(ProxyFailureKind.Unreachable, down.Kind);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, direct.StatusCode);
        Assert.IsNotType<ProxyFailureException>(directDown);
    }

    [Fact]
    public void ApiCallsAndMediaDownloadsShareTheProxyErrorIdsAndTheirAdvice()
    {
        Assert.Equal("ZAiProxyAuthenticationRequired", ErrorTable.For(ZAiErrorReason.ProxyAuthenticationRequired).ErrorId);
        Assert.Equal("ZAiProxyAuthenticationRequired", ErrorTable.For(MediaErrorReason.ProxyAuthenticationRequired).ErrorId);
        Assert.Equal("ZAiProxyConnectionFailed", ErrorTable.For(ZAiErrorReason.ProxyConnectionFailed).ErrorId);
        Assert.Equal("ZAiProxyConnectionFailed", ErrorTable.For(MediaErrorReason.ProxyConnectionFailed).ErrorId);
        var api = ErrorRecords.FromException(new ZAiApiException(ZAiErrorReason.ProxyAuthenticationRequired, "x"), null);
        var media = ErrorRecords.FromException(new ZAiMediaException(MediaErrorReason.ProxyConnectionFailed, "x"), null);
        Assert.Contains("-ProxyCredential", api.ErrorDetails.RecommendedAction);
        Assert.Contains("Get-ZAiContext shows Proxy and ProxySource", media.ErrorDetails.RecommendedAction);
        Assert.True(FailureLatch.Closes(new ZAiApiException(ZAiErrorReason.ProxyAuthenticationRequired, "x")));
    }

    private sealed class Answer : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, HttpResponseMessage> _answer;

        public Answer(Func<HttpRequestMessage, HttpResponseMessage> answer) => _answer = answer;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(_answer(request));
    }
}
