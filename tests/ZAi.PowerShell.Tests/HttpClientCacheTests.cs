using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class HttpClientCacheTests
{
    private static readonly TimeSpan Connect = TimeSpan.FromSeconds(10);

    // Unique host names: the cache is process-wide and other tests use it too.
    private static string Host() => "h" + Guid.NewGuid().ToString("N") + ".example.test";

    [Fact]
    public void SameAuthorityGivesTheSameClient()
    {
        var host = Host();

        var first = HttpClientCache.For(new Uri($"https://{host}/api/"), Connect);
        var second = HttpClientCache.For(new Uri($"https://{host}/api/"), Connect);
        var otherPath = HttpClientCache.For(new Uri($"https://{host}/other/path/"), Connect);
        var upperCase = HttpClientCache.For(new Uri($"https://{host.ToUpperInvariant()}/api/"), Connect);
        var explicitPort = HttpClientCache.For(new Uri($"https://{host}:443/api/"), Connect);

        Assert.Same(first, second);
        Assert.Same(first, otherPath);
        Assert.Same(first, upperCase);
        Assert.Same(first, explicitPort);
    }

    [Fact]
    public void DifferentAuthorityGivesADifferentClient()
    {
        var host = Host();
        var first = HttpClientCache.For(new Uri($"https://{host}/api/"), Connect);

        Assert.NotSame(first, HttpClientCache.For(new Uri($"https://{Host()}/api/"), Connect));
        Assert.NotSame(first, HttpClientCache.For(new Uri($"https://{host}:8443/api/"), Connect));
        Assert.NotSame(first, HttpClientCache.For(new Uri($"http://{host}/api/"), Connect));
    }

    [Fact]
    public void DifferentConnectTimeoutGivesADifferentClient()
    {
        var host = Host();

        Assert.NotSame(
            HttpClientCache.For(new Uri($"https://{host}/api/"), TimeSpan.FromSeconds(5)),
            HttpClientCache.For(new Uri($"https://{host}/api/"), TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public void ClientsNeverTimeOutOnTheirOwn()
    {
        var client = HttpClientCache.For(new Uri($"https://{Host()}/api/"), Connect);

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }
}
