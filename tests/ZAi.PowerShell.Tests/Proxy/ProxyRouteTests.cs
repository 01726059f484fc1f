using System.Net;
using System.Net.Http;
using ZAi.PowerShell.Client;
using Xunit;
using static ZAi.PowerShell.Tests.Proxy.EnvironmentProxyTests;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Proxy;

/// <summary>Which proxy each request goes through, what the clients are keyed on, and who gets which credential.</summary>
public class ProxyRouteTests
{
    private static readonly Uri Api = new("https://api.z.ai/api/");
    private static readonly Uri Media = new("https://cdn.example/v/video.mp4");
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static ProxyOptions Explicit(string address = "http://proxy.corp:3128", NetworkCredential? credential = null, string[]? noProxy = null, bool? useDefault = null) => new()
    {
        Address = ProxyEndpoint.ParseExplicit(new Uri(address)),
        Credential = credential,
        UseDefaultCredentials = useDefault,
        NoProxy = noProxy is null ? null : ProxyBypassList.Parse(noProxy, "-NoProxy", strict: true),
    };

    private static string? Through(ProxyRoute route, Uri target) => route.EndpointFor(target)?.Display;

    [Fact]
    public void AnExplicitProxyCarriesTheApiAndTheMediaAndNoProxyBypassesTheHostsItLists()
    {
        var route = ProxyRoute.Resolve(Explicit(noProxy: new[] { "cdn.example" }), NoEnvironment);

        Assert.Equal("http://proxy.corp:3128", Through(route, Api));
        Assert.Null(Through(route, Media));
        Assert.Equal(ProxyRoute.ExplicitSource, route.SourceFor(Api));
        Assert.True(((IWebProxy)route).IsBypassed(Media));
        Assert.Equal(new Uri("http://proxy.corp:3128/"), ((IWebProxy)route).GetProxy(Api));
        Assert.Equal(Media, ((IWebProxy)route).GetProxy(Media));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/api/", false)]
    [InlineData("http://localhost:5000/media/v.mp4", false)]
    [InlineData("http://[::1]:5000/api/", false)]
    [InlineData("https://127.0.0.1:5000/api/", true)]
    [InlineData("http://cdn.example/v.mp4", true)]
    public void PlainHttpToLoopbackNeverGoesThroughAProxySoTheKeyStaysOnThisMachine(string url, bool proxied)
    {
        var explicitRoute = ProxyRoute.Resolve(Explicit(), NoEnvironment);
        var environmentRoute = ProxyRoute.Resolve(null, Env(("ALL_PROXY", "http://proxy.corp:3128")));

        Assert.Equal(proxied, explicitRoute.EndpointFor(new Uri(url)) != null);
        Assert.Equal(proxied, environmentRoute.EndpointFor(new Uri(url)) != null);
    }

    [Fact]
    public void NoProxyFromTheEnvironmentAppliesOnlyToTheEnvironmentsProxy()
    {
        var environment = Env(("HTTPS_PROXY", "http://env.corp:3128"), ("NO_PROXY", "api.z.ai"));

        var fromEnvironment = ProxyRoute.Resolve(null, environment);
        var fromConnect = ProxyRoute.Resolve(Explicit(), environment);

        Assert.Null(Through(fromEnvironment, Api));
        Assert.Equal("http://env.corp:3128", Through(fromEnvironment, Media));
        Assert.Equal("HTTPS_PROXY", fromEnvironment.SourceFor(Media));
        Assert.Equal("http://proxy.corp:3128", Through(fromConnect, Api));
    }

    [Fact]
    public void DashNoProxyAddsToTheEnvironmentsNoProxy()
    {
        var route = ProxyRoute.Resolve(new ProxyOptions { NoProxy = ProxyBypassList.Parse(new[] { "cdn.example" }, "-NoProxy", strict: true) }, Env(("HTTPS_PROXY", "http://env.corp:3128"), ("NO_PROXY", "api.z.ai")));

        Assert.Null(Through(route, Api));
        Assert.Null(Through(route, Media));
        Assert.Equal(new[] { "cdn.example", "api.z.ai" }, route.Bypass.Patterns);
    }

    [Fact]
    public void WithoutExplicitOrEnvironmentProxyTheSystemProxyDecidesAndNoProxyStillApplies()
    {
        var system = new WebProxy("http://system.corp:8080", false, new[] { "cdn\\.example" });
        var route = ProxyRoute.Resolve(new ProxyOptions { NoProxy = ProxyBypassList.Parse(new[] { "api.z.ai" }, "-NoProxy", strict: true) }, NoEnvironment, () => system);
        var plain = ProxyRoute.Resolve(null, NoEnvironment, () => system);

        Assert.Equal("http://system.corp:8080", Through(plain, Api));
        Assert.Equal(ProxyRoute.SystemSource, plain.SourceFor(Api));
        Assert.Null(Through(plain, Media));
        Assert.Null(Through(route, Api));
        Assert.Null(Through(ProxyRoute.Resolve(null, NoEnvironment, () => null), Api));
    }

    [Fact]
    public void NoProxyStarMeansNoProxyWhateverTheEnvironmentSays()
    {
        var route = ProxyRoute.Resolve(new ProxyOptions { NoProxy = ProxyBypassList.Parse(new[] { "*" }, "-NoProxy", strict: true) }, Env(("HTTPS_PROXY", "http://env.corp:3128")));

        Assert.Null(Through(route, Api));
        Assert.Equal(ProxyRoute.NoneSource, route.SourceFor(Api));
    }

    [Fact]
    public void TheKeyChangesWithEverySettingThatChangesWhatIsSentAndNeverHoldsThePassword()
    {
        string Key(ProxyOptions options) => ProxyRoute.Resolve(options, NoEnvironment).Key;
        var withPassword = Key(Explicit(credential: new NetworkCredential("ann", "hunter2")));

        Assert.Equal(Key(Explicit()), Key(Explicit()));
        Assert.Equal(withPassword, Key(Explicit(credential: new NetworkCredential("ann", "hunter2"))));
        Assert.NotEqual(withPassword, Key(Explicit(credential: new NetworkCredential("ann", "hunter3"))));
        Assert.NotEqual(Key(Explicit()), withPassword);
        Assert.NotEqual(Key(Explicit()), Key(Explicit("http://proxy.corp:3129")));
        Assert.NotEqual(Key(Explicit()), Key(Explicit(noProxy: new[] { "cdn.example" })));
        Assert.NotEqual(Key(Explicit()), Key(Explicit(useDefault: true)));
        Assert.DoesNotContain("hunter2", withPassword);
        Assert.NotEqual(ProxyRoute.Resolve(null, Env(("HTTPS_PROXY", "http://a.corp:1"))).Key, ProxyRoute.Resolve(null, Env(("HTTPS_PROXY", "http://b.corp:1"))).Key);
    }

    [Fact]
    public void EachProxyGetsOnlyItsOwnCredential()
    {
        var route = ProxyRoute.Resolve(null, Env(("HTTPS_PROXY", "http://ann:one@secure.corp:3128"), ("HTTP_PROXY", "http://bob:two@plain.corp:8080")));
        var credentials = ((IWebProxy)route).Credentials!;

        Assert.Equal("one", credentials.GetCredential(new Uri("http://secure.corp:3128/"), "Basic")!.Password);
        Assert.Equal("two", credentials.GetCredential(new Uri("http://plain.corp:8080/"), "Basic")!.Password);
        Assert.Null(credentials.GetCredential(new Uri("http://secure.corp:9999/"), "Basic"));
        Assert.Null(credentials.GetCredential(new Uri("http://elsewhere.corp:3128/"), "Basic"));
        Assert.Equal("ann", route.UserFor(Api));
    }

    [Fact]
    public void DefaultCredentialsGiveTheProxyTheLogonOfTheCurrentUser()
    {
        var route = ProxyRoute.Resolve(Explicit(useDefault: true), NoEnvironment);

        Assert.Same(CredentialCache.DefaultNetworkCredentials, ((IWebProxy)route).Credentials!.GetCredential(new Uri("http://proxy.corp:3128/"), "Negotiate"));
        Assert.Equal("(default credentials)", route.UserFor(Api));
        Assert.True(route.OffersCredentialFor(Api));
    }

    [Fact]
    public void TheApiClientIsSharedPerProxySettingAndAnotherProxyGetsAnotherClient()
    {
        var host = new Uri($"https://h{Guid.NewGuid():N}.example.test/api/");
        var one = ProxyRoute.Resolve(Explicit(), NoEnvironment);
        var same = ProxyRoute.Resolve(Explicit(), NoEnvironment);
        var other = ProxyRoute.Resolve(Explicit("http://other.corp:3128"), NoEnvironment);

        var client = HttpClientCache.For(host, TimeSpan.FromSeconds(10), one);

        Assert.Same(client, HttpClientCache.For(host, TimeSpan.FromSeconds(10), same));
        Assert.NotSame(client, HttpClientCache.For(host, TimeSpan.FromSeconds(10), other));
        Assert.Same(MediaHttpClient.For(one), MediaHttpClient.For(same));
        Assert.NotSame(MediaHttpClient.For(one), MediaHttpClient.For(other));
    }

    [Fact]
    public void BothKindsOfHandlerGetTheRouteAsTheirProxy()
    {
        var route = ProxyRoute.Resolve(Explicit(), NoEnvironment);

        // Windows PowerShell 5.1 builds HttpClientHandler: without this, .NET Framework reads only the system proxy.
        var classic = Assert.IsType<HttpClientHandler>(HttpHandlerFactory.CreateInner(TimeSpan.FromSeconds(5), false, route, classic: true));
        var sockets = Assert.IsType<SocketsHttpHandler>(HttpHandlerFactory.CreateInner(TimeSpan.FromSeconds(5), false, route, classic: false));
        var wrapped = Assert.IsType<ProxyFailureHandler>(HttpHandlerFactory.Create(TimeSpan.FromSeconds(5), proxy: route));

        Assert.Same(route, classic.Proxy);
        Assert.True(classic.UseProxy);
        Assert.Same(route, sockets.Proxy);
        Assert.True(sockets.UseProxy);
        Assert.Same(route, wrapped.Route);
        Assert.Same(route, Assert.IsType<SocketsHttpHandler>(wrapped.InnerHandler).Proxy);
    }
}
