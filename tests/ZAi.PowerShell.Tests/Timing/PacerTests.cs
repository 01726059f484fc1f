using ZAi.PowerShell.Timing;
using Xunit;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>The one time-based throttle, in virtual time.</summary>
public class PacerTests
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void The_first_call_passes_and_calls_within_the_interval_are_held()
    {
        var clock = new ManualClock();
        var pacer = new Pacer(clock, Every);

        Assert.True(pacer.TryPass());
        Assert.False(pacer.TryPass());
        clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(pacer.TryPass());
    }

    [Fact]
    public void A_call_passes_once_the_interval_since_the_last_pass_is_over_and_starts_the_next()
    {
        var clock = new ManualClock();
        var pacer = new Pacer(clock, Every);
        pacer.TryPass();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(pacer.TryPass());

        clock.Advance(TimeSpan.FromMilliseconds(50));

        Assert.True(pacer.TryPass());
        clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(pacer.TryPass());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(pacer.TryPass());
    }

    [Fact]
    public void The_last_call_is_flushed_on_completion_within_the_interval_and_the_interval_starts_again()
    {
        var clock = new ManualClock();
        var pacer = new Pacer(clock, Every);
        pacer.TryPass();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(pacer.TryPass());

        Assert.True(pacer.TryPass(force: true));

        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(pacer.TryPass());
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(pacer.TryPass());
    }

    [Fact]
    public void Holding_the_first_interval_lets_nothing_through_before_it_ends_but_a_forced_call()
    {
        var clock = new ManualClock();
        var pacer = new Pacer(clock, TimeSpan.FromSeconds(1), holdFirst: true);

        Assert.False(pacer.TryPass());
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(pacer.TryPass());
        Assert.True(pacer.TryPass(force: true));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(pacer.TryPass());
    }

    [Fact]
    public void A_zero_interval_lets_every_call_through()
    {
        var pacer = new Pacer(new ManualClock(), TimeSpan.Zero);

        Assert.True(pacer.TryPass());
        Assert.True(pacer.TryPass());
        Assert.True(pacer.TryPass());
    }

    [Fact]
    public async Task Of_many_threads_calling_at_one_instant_exactly_one_passes()
    {
        var clock = new ManualClock();
        var pacer = new Pacer(clock, Every);
        var passed = 0;
        using var start = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 1000; i++) if (pacer.TryPass()) Interlocked.Increment(ref passed);
        })).ToArray();
        start.Set();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, passed);
    }
}
