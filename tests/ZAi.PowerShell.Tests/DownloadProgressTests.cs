using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

public class DownloadProgressTests
{
    [Fact]
    public void StartsAtZeroBytesOfAnUnknownTotal()
    {
        var progress = new DownloadProgress("task.mp4");

        Assert.Equal("task.mp4", progress.Name);
        Assert.Equal(0, progress.Bytes);
        Assert.Equal(-1, progress.Total);
    }

    [Fact]
    public void ResetSetsTheBytesAndAddCountsOn()
    {
        var progress = new DownloadProgress("x");
        progress.SetTotal(1000);

        progress.Add(100);
        progress.Add(50);
        Assert.Equal(150, progress.Bytes);

        progress.Reset(400); // a resume starts from the bytes already on disk
        progress.Add(600);
        Assert.Equal(1000, progress.Bytes);
        Assert.Equal(1000, progress.Total);

        progress.SetTotal(-1);
        Assert.Equal(-1, progress.Total);
    }

    [Fact]
    public void ReceivedCountsOnlyThisRunsBytesSoAResumedFileDoesNotInflateTheRate()
    {
        var progress = new DownloadProgress("a");
        progress.Reset(1_000_000);
        progress.Add(4096);

        Assert.Equal(1_004_096, progress.Bytes);
        Assert.Equal(4096, progress.Received);
    }

    [Fact]
    public void ConcurrentAddsAreAllCounted()
    {
        var progress = new DownloadProgress("x");

        Parallel.For(0, 10_000, _ => progress.Add(3));

        Assert.Equal(30_000, progress.Bytes);
    }

    [Fact]
    public void TheRateCountsEveryConnectionsBytesSinceTheDownloadBeganButNoResumedOnes()
    {
        var progress = new DownloadProgress("a");
        var begun = TimeSpan.FromSeconds(7);
        Assert.Equal(0, progress.BytesPerSecond(begun));

        progress.Begin(begun);
        progress.Reset(50 * 1024 * 1024); // resumed from an earlier run
        Parallel.For(0, 4, _ => progress.Add(1024 * 1024)); // four connections, 1 MiB each
        progress.Begin(begun + TimeSpan.FromSeconds(1)); // a retry does not restart the clock

        Assert.Equal(2 * 1024 * 1024, progress.BytesPerSecond(begun + TimeSpan.FromSeconds(2)), 3);
        Assert.Equal(0, progress.BytesPerSecond(begun));
    }
}
