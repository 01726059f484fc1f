using ZAi.PowerShell.Timing;
using Xunit;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>The one retry schedule (backoff with jitter, Retry-After capped), moved here from RetryPolicyTests with the schedule itself.</summary>
public class RetryScheduleTests
{
    private const double AlmostOne = 0.999999999;

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 1.0)]
    [InlineData(2, 2.0)]
    [InlineData(3, 4.0)]
    [InlineData(4, 8.0)]
    [InlineData(5, 8.0)]
    [InlineData(10, 8.0)]
    [InlineData(30, 8.0)]
    [InlineData(31, 8.0)]
    [InlineData(int.MaxValue, 8.0)]
    public void BackoffDoublesUpToTheCapWithJitterBetweenThreeQuartersAndOne(int retry, double nominalSeconds)
    {
        var lowest = RetrySchedule.Backoff(retry, 0);
        var highest = RetrySchedule.Backoff(retry, AlmostOne);

        Assert.Equal(nominalSeconds * 0.75, lowest.TotalSeconds, 6);
        Assert.Equal(nominalSeconds, highest.TotalSeconds, 3);
        Assert.True(highest <= TimeSpan.FromSeconds(nominalSeconds), $"{highest} exceeds {nominalSeconds} s");
        Assert.True(highest <= RetrySchedule.MaxBackoff);
    }

    [Fact]
    public void BackoffGrowsMonotonicallyAndNeverExceedsTheCap()
    {
        foreach (var unit in new[] { 0.0, 0.5, AlmostOne })
        {
            var previous = TimeSpan.Zero;
            for (var retry = 0; retry < 40; retry++)
            {
                var delay = RetrySchedule.Backoff(retry, unit);
                Assert.True(delay >= previous, $"retry {retry}: {delay} < {previous}");
                Assert.True(delay <= RetrySchedule.MaxBackoff, $"retry {retry}: {delay} over the cap");
                previous = delay;
            }
        }
    }

    [Fact]
    public void BackoffStartsAtHalfASecond()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), RetrySchedule.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(0.375), RetrySchedule.Backoff(0, 0));
    }

    [Fact]
    public void DelayWithoutRetryAfterStaysWithinTheJitterBounds()
    {
        var policy = new RetrySchedule(3);
        var seen = new HashSet<TimeSpan>();
        for (var i = 0; i < 200; i++)
        {
            var delay = policy.Delay(2, null);
            Assert.InRange(delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2));
            seen.Add(delay);
        }
        Assert.True(seen.Count > 1, "The jitter never varied.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.25)]
    [InlineData(7)]
    [InlineData(60)]
    public void DelayHonoursRetryAfterUpToTheCap(double seconds)
    {
        var policy = new RetrySchedule(3);

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.Delay(0, TimeSpan.FromSeconds(seconds)));
        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.Delay(5, TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(61)]
    [InlineData(300)]
    [InlineData(86400)]
    public void DelayCapsRetryAfterAtOneMinute(double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(60), RetrySchedule.MaxRetryAfter);
        Assert.Equal(RetrySchedule.MaxRetryAfter, new RetrySchedule(3).Delay(0, TimeSpan.FromSeconds(seconds)));
    }
}
