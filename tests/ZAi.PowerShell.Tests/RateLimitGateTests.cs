using ZAi.PowerShell.Waiting;
using Xunit;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Tests;

public class RateLimitGateTests
{
    private static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ANewGateIsOpenAndAtNormalSpeed()
    {
        var gate = new RateLimitGate();

        Assert.Equal(DateTime.MinValue, gate.NotBeforeUtc);
        Assert.Equal(1.0, gate.Slowdown);
        Assert.Equal(8.0, RateLimitGate.MaxSlowdown);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(7)]
    [InlineData(60)]
    public void RetryAfterSetsThePause(double seconds)
    {
        var gate = new RateLimitGate();

        gate.OnRateLimited(TimeSpan.FromSeconds(seconds), Now);

        Assert.Equal(Now + TimeSpan.FromSeconds(seconds), gate.NotBeforeUtc);
    }

    [Theory]
    [InlineData(61)]
    [InlineData(3600)]
    [InlineData(86400 * 10)]
    public void RetryAfterIsCappedAtSixtySeconds(double seconds)
    {
        var gate = new RateLimitGate();

        gate.OnRateLimited(TimeSpan.FromSeconds(seconds), Now);

        Assert.Equal(Now + TimeSpan.FromSeconds(60), gate.NotBeforeUtc);
    }

    [Fact]
    public void WithoutRetryAfterThePauseDoublesFromOneSecondUpToTheCap()
    {
        var gate = new RateLimitGate();
        var expected = new[] { 1, 2, 4, 8, 16, 32, 60, 60, 60 };

        foreach (var seconds in expected)
        {
            gate.OnRateLimited(null, Now);
            Assert.Equal(Now + TimeSpan.FromSeconds(seconds), gate.NotBeforeUtc);
        }
    }

    [Fact]
    public void DefaultPauseIsCountedFromTheTimeGiven()
    {
        var gate = new RateLimitGate();
        gate.OnRateLimited(null, Now);
        var later = Now.AddMinutes(5);

        gate.OnRateLimited(null, later);

        Assert.Equal(later + TimeSpan.FromSeconds(2), gate.NotBeforeUtc);
    }

    [Fact]
    public void AShorterPauseNeverMovesTheGateBackwards()
    {
        var gate = new RateLimitGate();
        gate.OnRateLimited(TimeSpan.FromSeconds(30), Now);

        gate.OnRateLimited(TimeSpan.FromSeconds(1), Now);
        Assert.Equal(Now + TimeSpan.FromSeconds(30), gate.NotBeforeUtc);

        gate.OnRateLimited(TimeSpan.Zero, Now.AddSeconds(10));
        Assert.Equal(Now + TimeSpan.FromSeconds(30), gate.NotBeforeUtc);

        gate.OnRateLimited(TimeSpan.FromSeconds(5), Now.AddSeconds(-100));
        Assert.Equal(Now + TimeSpan.FromSeconds(30), gate.NotBeforeUtc);
    }

    [Fact]
    public void ALaterPauseMovesTheGateForwards()
    {
        var gate = new RateLimitGate();
        gate.OnRateLimited(TimeSpan.FromSeconds(10), Now);

        gate.OnRateLimited(TimeSpan.FromSeconds(10), Now.AddSeconds(5));

        Assert.Equal(Now + TimeSpan.FromSeconds(15), gate.NotBeforeUtc);
    }

    [Fact]
    public void SlowdownDoublesPerRateLimitUpToTheMaximum()
    {
        var gate = new RateLimitGate();
        var expected = new[] { 2.0, 4.0, 8.0, 8.0, 8.0 };

        foreach (var slowdown in expected)
        {
            gate.OnRateLimited(TimeSpan.FromSeconds(1), Now);
            Assert.Equal(slowdown, gate.Slowdown);
        }
    }

    [Fact]
    public void SuccessShrinksTheSlowdownByTenPercentDownToOne()
    {
        var gate = new RateLimitGate();
        gate.OnRateLimited(null, Now);
        gate.OnRateLimited(null, Now);
        gate.OnRateLimited(null, Now);
        Assert.Equal(8.0, gate.Slowdown);

        gate.OnSuccess();
        Assert.Equal(7.2, gate.Slowdown, 10);
        gate.OnSuccess();
        Assert.Equal(6.48, gate.Slowdown, 10);

        var previous = gate.Slowdown;
        for (var i = 0; i < 100; i++)
        {
            gate.OnSuccess();
            Assert.True(gate.Slowdown <= previous, $"success {i}: {gate.Slowdown} > {previous}");
            Assert.True(gate.Slowdown >= 1.0, $"success {i}: {gate.Slowdown} below 1");
            previous = gate.Slowdown;
        }
        Assert.Equal(1.0, gate.Slowdown);
    }

    [Fact]
    public void SuccessAtNormalSpeedStaysAtOne()
    {
        var gate = new RateLimitGate();

        gate.OnSuccess();
        gate.OnSuccess();

        Assert.Equal(1.0, gate.Slowdown);
    }

    [Fact]
    public void SuccessDoesNotReopenAClosedGate()
    {
        var gate = new RateLimitGate();
        gate.OnRateLimited(TimeSpan.FromSeconds(20), Now);

        gate.OnSuccess();

        Assert.Equal(Now + TimeSpan.FromSeconds(20), gate.NotBeforeUtc);
    }

    [Fact]
    public void SuccessRestartsTheDefaultPauseAtOneSecond()
    {
        var gate = new RateLimitGate();
        gate.OnRateLimited(null, Now);
        gate.OnRateLimited(null, Now);
        gate.OnRateLimited(null, Now);
        Assert.Equal(Now + TimeSpan.FromSeconds(4), gate.NotBeforeUtc);

        gate.OnSuccess();
        var later = Now.AddMinutes(1);
        gate.OnRateLimited(null, later);

        Assert.Equal(later + TimeSpan.FromSeconds(1), gate.NotBeforeUtc);
    }

    [Fact]
    public void RetryAfterStillCountsTowardsTheDefaultPause()
    {
        var gate = new RateLimitGate();
        gate.OnRateLimited(TimeSpan.FromSeconds(0), Now);
        gate.OnRateLimited(TimeSpan.FromSeconds(0), Now);

        gate.OnRateLimited(null, Now);

        Assert.Equal(Now + TimeSpan.FromSeconds(4), gate.NotBeforeUtc);
    }

    [Fact]
    public void ConcurrentRateLimitsKeepTheLatestPauseAndTheCappedSlowdown()
    {
        var gate = new RateLimitGate();

        Parallel.For(0, 1000, i => gate.OnRateLimited(TimeSpan.FromMilliseconds(i), Now));

        Assert.Equal(Now + TimeSpan.FromMilliseconds(999), gate.NotBeforeUtc);
        Assert.Equal(RateLimitGate.MaxSlowdown, gate.Slowdown);
    }
}
