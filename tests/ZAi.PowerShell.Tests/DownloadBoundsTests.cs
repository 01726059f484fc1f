using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>The pure parts of the download bounds: the deadline rule, the content check, the retry decision, the clock.</summary>
public sealed class DownloadBoundsTests
{
    [Theory]
    [InlineData(120, 0, false)]
    [InlineData(121, 16 * 1024, false)]
    [InlineData(121, 16 * 1024 - 1, true)]
    [InlineData(220, 100 * 16 * 1024, false)]
    [InlineData(220, 100 * 16 * 1024 - 1, true)]
    public void TheDeadlineIsTheGracePlusTheBytesAtTheMinimumThroughput(double seconds, long received, bool tooSlow)
    {
        Assert.Equal(tooSlow, DownloadLimits.Default.TooSlow(TimeSpan.FromSeconds(seconds), received));
    }

    [Fact]
    public void TheDefaultsAreTwoGibibytesTwentyResumesAndSixteenKibibytesASecondAfterTwoMinutes()
    {
        Assert.Equal(2L * 1024 * 1024 * 1024, DownloadLimits.Default.MaximumFileSize);
        Assert.Equal(20, DownloadLimits.Default.MaxResumes);
        Assert.Equal(16 * 1024, DownloadLimits.Default.MinimumBytesPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(2), DownloadLimits.Default.Grace);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DownloadLimits(maximumFileSize: 0));
    }

    [Theory]
    [InlineData("text/html; charset=utf-8", "a text/html document")]
    [InlineData("application/json", "a application/json document")]
    [InlineData("application/problem+json", "a application/problem+json document")]
    [InlineData("application/xhtml+xml", "a application/xhtml+xml document")]
    [InlineData("video/mp4", null)]
    [InlineData("image/svg+xml", null)]
    [InlineData("application/octet-stream", null)]
    [InlineData(null, null)]
    public void ATextContentTypeIsNotMedia(string? contentType, string? problem)
    {
        Assert.Equal(problem, MediaContentCheck.ProblemWithType(contentType));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html>", true)]
    [InlineData("\uFEFF  \r\n<HTML lang=en>", true)]
    [InlineData("<?xml version=\"1.0\"?>", true)]
    [InlineData("<!-- cdn -->", true)]
    [InlineData("<ht", false)]
    [InlineData("{\"error\":1}", false)]
    [InlineData("\u0000\u0000\u0000\u0018ftypmp42", false)]
    public void MarkupAtTheStartOfTheBodyIsNotMedia(string start, bool markup)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(start);

        Assert.Equal(markup, MediaContentCheck.ProblemWithBytes(bytes, bytes.Length) != null);
    }

    [Theory]
    [InlineData(true, 0, 2, true)]
    [InlineData(true, 2, 2, false)]
    [InlineData(false, 0, 2, false)]
    public void TheRetryDecisionNeedsNoException(bool transient, int soFar, int max, bool retry)
    {
        Assert.Equal(retry, new RetryPolicy(max).ShouldRetry(transient, soFar));
    }

    [Fact]
    public async Task DisposingTheSystemClocksTimerWaitsForARunningCallback()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var finished = 0;
        var calls = 0;
        var timer = SystemClock.Instance.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            if (Interlocked.Increment(ref calls) > 1) return;
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(20));
            Volatile.Write(ref finished, 1);
        });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(20)));

        var disposed = Task.Run(() =>
        {
            timer.Dispose();
            return Volatile.Read(ref finished);
        });
        release.Set();

        Assert.Equal(1, await disposed.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
