using System.Diagnostics;
using ZAi.PowerShell.Timing;
using Xunit;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>The real clock's waits: never cut short to nothing, so a loop that sleeps until a time does not spin.</summary>
public class SystemClockTests
{
    [Theory]
    [InlineData(1L, 1L)]                     // one tick: a whole millisecond, not Task.Delay(0)
    [InlineData(4_000L, 1L)]                 // 0.4 ms
    [InlineData(10_000L, 1L)]                // exactly 1 ms stays 1 ms
    [InlineData(10_001L, 2L)]                // 1 ms and a tick
    [InlineData(1_507_000L, 151L)]           // 150.7 ms
    [InlineData(20_000_000L, 2_000L)]        // 2 s
    public void ATimersWaitIsTheDelayRoundedUpToWholeMilliseconds(long ticks, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), SystemClock.TimerDelay(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void ADelayAskedWithAStoppedTokenIsACancelledTaskOnTheRealClockAndOnTheManualOne()
    {
        // Code that sleeps with WhenAny sees the stop as a finished sleep, on both clocks: the manual clock threw
        // from the call instead, so a stop between a loop's check and its sleep failed a test that production passes.
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        IClock[] clocks = { SystemClock.Instance, new ManualClock() };
        foreach (var clock in clocks)
        {
            Assert.Equal(TaskStatus.Canceled, clock.Delay(TimeSpan.FromSeconds(1), stopped.Token).Status);
            Assert.Same(Task.CompletedTask, clock.Delay(TimeSpan.Zero, stopped.Token));
        }
    }

    [Fact]
    public async Task ALoopThatSleepsUntilATimeOnTheClockTakesAFewTurnsNotThousands()
    {
        // The shape of a wait's turn (TaskWaiter.WaitForTurnAsync): sleep until the time, or until nudged, and look
        // again. With the fraction of a millisecond cut off, a timer that fired a little early left 0.x ms that
        // Task.Delay made no wait at all: here thousands of turns per wait, each a linked source and a WhenAny.
        var clock = SystemClock.Instance;
        var nudged = new TaskCompletionSource<bool>().Task;
        var turns = 0;
        for (var wait = 0; wait < 5; wait++)
        {
            var due = clock.Elapsed + TimeSpan.FromTicks(203_700 + wait * 1_100);
            while (clock.Elapsed < due)
            {
                turns++;
                using var sleep = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
                await Task.WhenAny(clock.Delay(due - clock.Elapsed, sleep.Token), nudged);
                sleep.Cancel();
            }
        }
        // Each turn is a timer's wait of a millisecond at least, within about 100 ms of waiting.
        Assert.InRange(turns, 5, 60);
    }
}
