using System.Net;
using System.Security;
using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests.Proxy;

/// <summary>Connect-ZAi's parameters turned into a connection's options: what is checked, what is left to the previous connection.</summary>
public sealed class ConnectionRequestTests
{
    [Fact]
    public void NothingGivenLeavesEveryOptionToThePreviousConnection()
    {
        var options = new ConnectionRequest().Options();

        Assert.Null(options.ApiKey);
        Assert.Null(options.BaseUri);
        Assert.Null(options.Language);
        Assert.Null(options.ConnectTimeout);
        Assert.Null(options.MaxRetries);
        Assert.Null(options.SplitThreshold);
        Assert.Null(options.Proxy);
    }

    [Fact]
    public void TheCheckedValuesAreAddedToTheValuesGiven()
    {
        var key = new SecureString();
        foreach (var c in "sk-test-key-0001") key.AppendChar(c);
        var given = new ConnectionOptions { Language = "de-DE", MaxRetries = 0, SplitThreshold = 1024 };

        var options = new ConnectionRequest(given) { ApiKey = key, BaseUri = "http://127.0.0.1:8080/api" }.Options();

        Assert.Same(given, options);
        Assert.Equal("sk-test-key-0001", options.ApiKey!.Reveal());
        Assert.Equal("http://127.0.0.1:8080/api/", options.BaseUri!.AbsoluteUri);
        Assert.Equal("de-DE", options.Language);
        Assert.Equal(0, options.MaxRetries);
        Assert.Equal(1024, options.SplitThreshold);
        Assert.Null(options.Proxy);
    }

    [Theory]
    [InlineData("China", "https://open.bigmodel.cn/api/")]
    [InlineData("International", "https://api.z.ai/api/")]
    public void ARegionNamesItsBaseUri(string region, string expected)
    {
        Assert.Equal(expected, new ConnectionRequest { Region = region }.Options().BaseUri!.AbsoluteUri);
    }

    [Fact]
    public void APlainHttpBaseUriOffLoopbackIsRefusedNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConnectionRequest { BaseUri = "http://api.example.test/api" }.Options());

        Assert.Equal("-BaseUri 'http://api.example.test/api' uses plain http; the API key is only sent over https (plain http is allowed for loopback addresses only).", error.Message);
    }

    [Fact]
    public void AProxyPasswordAndTheWindowsLogonCannotBothBeGiven()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConnectionRequest
        {
            ProxyGiven = true,
            Proxy = new Uri("http://127.0.0.1:3128"),
            ProxyCredential = new NetworkCredential("user", "pass"),
            ProxyUseDefaultCredentials = true,
        }.Options());

        Assert.Equal("-ProxyCredential and -ProxyUseDefaultCredentials cannot be used together: give the proxy either a user name and password or your Windows logon.", error.Message);
    }

    [Fact]
    public void AnyProxyParameterReplacesTheProxyOptionsEvenAnEmptyNoProxy()
    {
        var options = new ConnectionRequest { ProxyGiven = true, NoProxy = Array.Empty<string>() }.Options();

        Assert.NotNull(options.Proxy);
        Assert.Null(options.Proxy!.Address);
        Assert.Null(options.Proxy.Credential);
        Assert.Null(options.Proxy.UseDefaultCredentials);
        Assert.True(options.Proxy.NoProxy!.IsEmpty);
    }

    [Fact]
    public void TheProxyParametersAreParsedStrictly()
    {
        var options = new ConnectionRequest
        {
            ProxyGiven = true,
            Proxy = new Uri("http://127.0.0.1:3128"),
            ProxyUseDefaultCredentials = false,
            NoProxy = new[] { "example.com", "10.0.0.0/8" },
        }.Options();

        Assert.Equal("http://127.0.0.1:3128/", options.Proxy!.Address!.AbsoluteUri);
        Assert.False(options.Proxy.UseDefaultCredentials);
        Assert.Equal(new[] { "example.com", "10.0.0.0/8" }, options.Proxy.NoProxy!.Patterns);
    }
}
