using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests.Proxy;

/// <summary>HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY as the module reads them on every runtime.</summary>
public class EnvironmentProxyTests
{
    internal static Func<string, string?> Env(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => (string?)v.Value, StringComparer.Ordinal);
        return name => map.TryGetValue(name, out var value) ? value : null;
    }

    [Fact]
    public void NoProxyVariableMeansNoEnvironmentProxy()
    {
        Assert.Null(EnvironmentProxy.Read(Env(("NO_PROXY", "example.com"))));
    }

    [Fact]
    public void HttpsRequestsUseHttpsProxyAndHttpRequestsHttpProxy()
    {
        var proxy = EnvironmentProxy.Read(Env(("HTTPS_PROXY", "http://secure.corp:3128"), ("HTTP_PROXY", "http://plain.corp:8080")))!;

        Assert.Equal("http://secure.corp:3128/", proxy.For(new Uri("https://api.z.ai/api/"))!.Address.AbsoluteUri);
        Assert.Equal("HTTPS_PROXY", proxy.For(new Uri("https://api.z.ai/api/"))!.Source);
        Assert.Equal("http://plain.corp:8080/", proxy.For(new Uri("http://cdn.example/v.mp4"))!.Address.AbsoluteUri);
    }

    [Fact]
    public void LowerCaseComesFirstAndAllProxyIsTheFallback()
    {
        var proxy = EnvironmentProxy.Read(Env(("https_proxy", "http://lower.corp:1"), ("HTTPS_PROXY", "http://upper.corp:2"), ("ALL_PROXY", "http://all.corp:3")))!;

        Assert.Equal("https_proxy", proxy.For(new Uri("https://a.example/"))!.Source);
        Assert.Equal("http://all.corp:3/", proxy.For(new Uri("http://a.example/"))!.Address.AbsoluteUri);
        Assert.Equal("ALL_PROXY", proxy.For(new Uri("http://a.example/"))!.Source);
    }

    [Fact]
    public void UpperCaseHttpProxyIsIgnoredInACgiProcessWhereARequestHeaderCanSetIt()
    {
        Assert.Null(EnvironmentProxy.Read(Env(("GATEWAY_INTERFACE", "CGI/1.1"), ("HTTP_PROXY", "http://attacker.example:80"))));
        Assert.NotNull(EnvironmentProxy.Read(Env(("GATEWAY_INTERFACE", "CGI/1.1"), ("http_proxy", "http://proxy.corp:80"))));
    }

    [Fact]
    public void AValueWithoutSchemeIsHttpAndAUserAndPasswordBecomeTheCredential()
    {
        var proxy = EnvironmentProxy.Read(Env(("HTTPS_PROXY", "proxy.corp:3128"), ("HTTP_PROXY", "http://CORP%5Cann:p%40ss@plain.corp:8080")))!;

        Assert.Equal("http://proxy.corp:3128/", proxy.Https!.Address.AbsoluteUri);
        Assert.Null(proxy.Https.Credential);
        Assert.Equal("http://plain.corp:8080/", proxy.Http!.Address.AbsoluteUri);
        Assert.Equal("ann", proxy.Http.Credential!.UserName);
        Assert.Equal("CORP", proxy.Http.Credential.Domain);
        Assert.Equal("p@ss", proxy.Http.Credential.Password);
    }

    [Fact]
    public void NoProxyIsReadLeniently()
    {
        var proxy = EnvironmentProxy.Read(Env(("HTTPS_PROXY", "http://proxy.corp:3128"), ("no_proxy", "localhost, .corp.example,bad*pattern,10.0.0.0/8")))!;

        Assert.Equal(new[] { "localhost", "corp.example", "10.0.0.0/8" }, proxy.NoProxy.Patterns);
        Assert.Equal("no_proxy", proxy.NoProxyVariable);
    }

    [Theory]
    [InlineData("ftp://proxy.corp:21", "has the scheme 'ftp'; a proxy address is http://host:port.")]
    [InlineData("https://proxy.corp:3128", "is an https:// proxy address; the module talks to a proxy over http://")]
    [InlineData("http://", "is not a proxy address: set it to http://host:port, or remove it.")]
    public void AValueThatIsNotAProxyIsAnErrorNamingTheVariable(string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => EnvironmentProxy.Read(Env(("HTTPS_PROXY", value))));

        Assert.StartsWith("The HTTPS_PROXY environment variable", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AnErrorAboutAValueNeverShowsItsPassword()
    {
        var error = Assert.Throws<ArgumentException>(() => EnvironmentProxy.Read(Env(("HTTPS_PROXY", "ftp://ann:hunter2@proxy.corp:21"))));

        Assert.DoesNotContain("hunter2", error.Message);
        Assert.Contains("ftp://***@proxy.corp:21", error.Message);
    }
}
