using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests.Proxy;

/// <summary>-NoProxy and NO_PROXY patterns: which hosts go without the proxy.</summary>
public class ProxyBypassListTests
{
    private static bool Bypassed(string pattern, string url) =>
        ProxyBypassList.Parse(new[] { pattern }, "-NoProxy", strict: true).Matches(new Uri(url));

    [Theory]
    [InlineData("example.com", "https://example.com/a", true)]
    [InlineData("example.com", "https://cdn.example.com/a", true)]
    [InlineData("example.com", "https://EXAMPLE.com./a", true)]
    [InlineData("example.com", "https://badexample.com/a", false)]
    [InlineData("example.com", "https://example.com.evil.test/a", false)]
    [InlineData(".example.com", "https://example.com/a", true)]
    [InlineData(".example.com", "https://a.b.example.com/a", true)]
    [InlineData("*.example.com", "https://a.example.com/a", true)]
    [InlineData("*.example.com", "https://badexample.com/a", false)]
    [InlineData("*", "https://anything.test/a", true)]
    [InlineData("<local>", "https://intranet/a", true)]
    [InlineData("<local>", "https://intranet.corp/a", false)]
    [InlineData("<local>", "https://10.0.0.1/a", false)]
    [InlineData("example.com:8443", "https://example.com:8443/a", true)]
    [InlineData("example.com:8443", "https://example.com/a", false)]
    [InlineData("10.0.0.0/8", "https://10.20.30.40/a", true)]
    [InlineData("10.0.0.0/8", "https://11.0.0.1/a", false)]
    [InlineData("10.0.0.0/8", "https://ten.example/a", false)]
    [InlineData("192.168.1.0/25", "https://192.168.1.127/a", true)]
    [InlineData("192.168.1.0/25", "https://192.168.1.128/a", false)]
    [InlineData("192.168.1.5", "https://192.168.1.5/a", true)]
    [InlineData("192.168.1.5", "https://192.168.1.6/a", false)]
    [InlineData("::1", "https://[::1]:5000/a", true)]
    [InlineData("[::1]:5000", "https://[::1]:5000/a", true)]
    [InlineData("[::1]:5000", "https://[::1]:5001/a", false)]
    [InlineData("fd00::/8", "https://[fd12::1]/a", true)]
    [InlineData("127.0.0.1", "https://localhost/a", false)]
    public void MatchesAsNoProxyDoes(string pattern, string url, bool bypassed)
    {
        Assert.Equal(bypassed, Bypassed(pattern, url));
    }

    [Fact]
    public void EntriesAreSplitOnCommasSemicolonsAndSpacesAndKeptOnceEach()
    {
        var list = ProxyBypassList.Parse(new[] { "a.example, b.example;c.example  A.example", "10.0.0.0/8" }, "NO_PROXY", strict: false);

        Assert.Equal(new[] { "a.example", "b.example", "c.example", "10.0.0.0/8" }, list.Patterns);
        Assert.False(list.All);
    }

    [Theory]
    [InlineData("web*.corp", "'*' may only stand alone or start the pattern as '*.'")]
    [InlineData("10.0.0.0/33", "the prefix length must be 0 to 32")]
    [InlineData("corp:0", "a port is a number from 1 to 65535")]
    [InlineData("bad_host!", "it is not a host name")]
    public void AStrictListNamesThePatternItCannotRead(string pattern, string why)
    {
        var error = Assert.Throws<ArgumentException>(() => ProxyBypassList.Parse(new[] { "ok.example", pattern }, "-NoProxy", strict: true));

        Assert.StartsWith($"-NoProxy: '{pattern}' is not a host pattern: {why}. Use a host", error.Message);
    }

    [Fact]
    public void ALenientListSkipsWhatItCannotReadAsCurlDoesWithNoProxy()
    {
        var list = ProxyBypassList.Parse(new[] { "web*.corp,ok.example,10.0.0.0/99" }, "NO_PROXY", strict: false);

        Assert.Equal(new[] { "ok.example" }, list.Patterns);
    }

    [Fact]
    public void ConcatKeepsTheFirstListsOrderAndAddsOnlyNewEntries()
    {
        var first = ProxyBypassList.Parse(new[] { "a.example,b.example" }, "-NoProxy", strict: true);
        var second = ProxyBypassList.Parse(new[] { "b.example,c.example" }, "NO_PROXY", strict: false);

        Assert.Equal(new[] { "a.example", "b.example", "c.example" }, first.Concat(second).Patterns);
        Assert.True(first.Concat(second).Matches(new Uri("https://x.c.example/")));
    }

    [Fact]
    public void AnEmptyListBypassesNothing()
    {
        var list = ProxyBypassList.Parse(Array.Empty<string>(), "-NoProxy", strict: true);

        Assert.True(list.IsEmpty);
        Assert.False(list.Matches(new Uri("https://example.com/")));
    }
}
