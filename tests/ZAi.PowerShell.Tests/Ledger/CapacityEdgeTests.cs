using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Timing;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>Waits for room that have no limit, waits that fail, and the slow start, in virtual time.</summary>
public class CapacityEdgeTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    /// <summary>A full account: one task of ours runs and a refusal set the limit to 1.</summary>
    private static async Task<SubmissionCapacity> FullAsync(IClock clock)
    {
        var capacity = new SubmissionCapacity(clock);
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        capacity.Accepted("running");
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        capacity.Refused();
        Assert.Equal(1, capacity.Limit);
        return capacity;
    }

    [Fact]
    public async Task AWaitWithoutALimitWaitsYearsAndGoesWhenRoomFrees()
    {
        var clock = new ManualClock();
        var capacity = await FullAsync(clock);

        var waiting = capacity.AcquireAsync(CancellationToken.None, queueTimeout: Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromDays(3650));

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, capacity.Waiting);
        capacity.Finished("running");
        await waiting.WaitAsync(Guard);
        Assert.Equal(1, capacity.Sending);
    }

    [Fact]
    public async Task AQueueTimeOfDecadesOnTheRealClockDoesNotThrow()
    {
        var capacity = await FullAsync(SystemClock.Instance);

        var waiting = capacity.AcquireAsync(CancellationToken.None, queueTimeout: TimeSpan.FromSeconds(int.MaxValue));
        await Task.Yield();

        Assert.False(waiting.IsFaulted, waiting.Exception?.ToString());
        capacity.Finished("running");
        await waiting.WaitAsync(Guard);
        Assert.Equal(1, capacity.Sending);
    }

    [Fact]
    public async Task AWaitThatFailsLeavesTheLineAndKeepsNoRoom()
    {
        var clock = new FaultyClock();
        var capacity = await FullAsync(clock);
        clock.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard));

        Assert.Equal(0, capacity.Waiting);
        Assert.Equal(0, capacity.Sending);
        clock.Fail = false;
        capacity.Finished("running");
        // The room that freed is this one's, not a vanished waiter's.
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(1, capacity.Sending);
    }

    [Fact]
    public async Task UntilTheFirstAnswerOnlyOneSubmissionIsSent()
    {
        var capacity = new SubmissionCapacity(new ManualClock());
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);

        var second = capacity.AcquireAsync(CancellationToken.None);
        var third = capacity.AcquireAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, capacity.Sending);

        capacity.Accepted("first");
        await Task.WhenAll(second, third).WaitAsync(Guard);
        Assert.Equal(2, capacity.Sending);
    }

    [Fact]
    public async Task AFirstSubmissionThatFailsOtherwiseLetsTheNextOneTry()
    {
        var capacity = new SubmissionCapacity(new ManualClock());
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        var second = capacity.AcquireAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);

        capacity.Abandoned();

        await second.WaitAsync(Guard);
        Assert.Equal(1, capacity.Sending);
    }

    private sealed class FaultyClock : IClock
    {
        private readonly ManualClock _inner = new();

        public bool Fail { get; set; }

        public DateTime UtcNow => _inner.UtcNow;

        public TimeSpan Elapsed => _inner.Elapsed;

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
            Fail ? throw new InvalidOperationException("The timer failed.") : _inner.Delay(delay, cancellationToken);

        public IDisposable Every(TimeSpan period, Action callback) => _inner.Every(period, callback);
    }
}
