using System.Net;
using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests.Proxy;

/// <summary>Connect-ZAi's proxy parameters over the previous connection's, and the rules between them.</summary>
public class ProxyOptionsTests
{
    private static readonly Uri ProxyA = new("http://a.corp:3128/");
    private static readonly Uri ProxyB = new("http://b.corp:3128/");
    private static ProxyBypassList List(params string[] patterns) => ProxyBypassList.Parse(patterns, "-NoProxy", strict: true);

    [Fact]
    public void WhatIsLeftOutIsKeptFromBefore()
    {
        var before = new ProxyOptions { Address = ProxyA, Credential = new NetworkCredential("ann", "one"), NoProxy = List("cdn.example") };

        var merged = new ProxyOptions { NoProxy = List("other.example") }.Over(before);

        Assert.Equal(ProxyA, merged.Address);
        Assert.Equal("ann", merged.Credential!.UserName);
        Assert.Equal(new[] { "other.example" }, merged.NoProxy!.Patterns);
    }

    [Fact]
    public void ANewProxyNeverTakesThePreviousProxysCredentialOrBypassList()
    {
        var before = new ProxyOptions { Address = ProxyA, Credential = new NetworkCredential("ann", "one"), UseDefaultCredentials = null, NoProxy = List("cdn.example") };

        var merged = new ProxyOptions { Address = ProxyB }.Over(before);

        Assert.Equal(ProxyB, merged.Address);
        Assert.Null(merged.Credential);
        Assert.Null(merged.NoProxy);
    }

    [Fact]
    public void DefaultCredentialsReplaceAPasswordAndAPasswordReplacesDefaultCredentials()
    {
        var withPassword = new ProxyOptions { Address = ProxyA, Credential = new NetworkCredential("ann", "one") };
        var withDefault = new ProxyOptions { UseDefaultCredentials = true }.Over(withPassword);
        var passwordAgain = new ProxyOptions { Credential = new NetworkCredential("bob", "two") }.Over(withDefault);

        Assert.Null(withDefault.Credential);
        Assert.True(withDefault.UseDefaultCredentials);
        Assert.Equal("bob", passwordAgain.Credential!.UserName);
        Assert.Null(passwordAgain.UseDefaultCredentials);
    }

    [Fact]
    public void NoProxyStarAloneDropsTheProxyKeptFromBefore()
    {
        var merged = new ProxyOptions { NoProxy = List("*") }.Over(new ProxyOptions { Address = ProxyA, Credential = new NetworkCredential("ann", "one") });

        Assert.Null(merged.Address);
        Assert.Null(merged.Credential);
        merged.Validate();
    }

    [Fact]
    public void APasswordGoesOnlyToAProxyNamedWithDashProxy()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProxyOptions { Credential = new NetworkCredential("ann", "one") }.Validate());

        Assert.StartsWith("-ProxyCredential needs -Proxy: a password goes only to a proxy named with -Proxy", error.Message);
        new ProxyOptions { UseDefaultCredentials = true }.Validate();
    }

    [Fact]
    public void AProxyBypassedForEveryHostIsAContradiction()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProxyOptions { Address = ProxyA, NoProxy = List("*") }.Validate());

        Assert.Equal("-NoProxy '*' bypasses the proxy for every host, so -Proxy http://a.corp:3128 would never be used: drop one of them.", error.Message);
    }

    [Theory]
    [InlineData("proxy.corp:3128", "-Proxy 'proxy.corp:3128' is not a proxy address: write it as http://host:port, for example http://proxy.corp:3128.")]
    [InlineData("http://ann:hunter2@proxy.corp:3128", "-Proxy must not hold a user name or password: give them with -ProxyCredential, which no output shows. Write the address as http://proxy.corp:3128.")]
    [InlineData("https://proxy.corp:3128", "-Proxy 'https://proxy.corp:3128' is an https:// proxy address; the module talks to a proxy over http:// (https requests still go through it encrypted, in a CONNECT tunnel): write http://proxy.corp:3128.")]
    [InlineData("socks5://proxy.corp", "-Proxy 'socks5://proxy.corp' needs a port: socks5://host:1080.")]
    public void DashProxyMustBeAPlainHttpAddress(string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ProxyEndpoint.ParseExplicit(new Uri(value, UriKind.RelativeOrAbsolute)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void DashProxyKeepsOnlySchemeHostAndPort()
    {
        Assert.Equal("http://proxy.corp:3128/", ProxyEndpoint.ParseExplicit(new Uri("HTTP://Proxy.Corp:3128/some/path")).AbsoluteUri);
        Assert.Equal("http://proxy.corp/", ProxyEndpoint.ParseExplicit(new Uri("http://proxy.corp")).AbsoluteUri);
        Assert.Equal("socks5://proxy.corp:1080/", ProxyEndpoint.ParseExplicit(new Uri("socks5://proxy.corp:1080")).AbsoluteUri);
    }
}
