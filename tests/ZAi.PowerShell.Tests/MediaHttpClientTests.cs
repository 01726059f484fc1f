using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

public class MediaHttpClientTests
{
    [Fact]
    public void IsOneSharedClient()
    {
        Assert.Same(MediaHttpClient.Instance, MediaHttpClient.Instance);
    }

    [Fact]
    public void CarriesNoCredentialsAndNoOverallTimeout()
    {
        var client = MediaHttpClient.Instance;

        Assert.Null(client.DefaultRequestHeaders.Authorization);
        Assert.False(client.DefaultRequestHeaders.Contains("Authorization"));
        Assert.Null(client.BaseAddress);
        // Large files take as long as they take; the downloader's idle watchdog catches stalls instead.
        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }
}
