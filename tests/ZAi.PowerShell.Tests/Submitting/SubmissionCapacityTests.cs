using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Submitting;

/// <summary>The account's room for tasks in flight, in virtual time: who may send when, and what it learns.</summary>
public class SubmissionCapacityTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private static (SubmissionCapacity Capacity, ManualClock Clock) Create(TimeSpan? queueTimeout = null)
    {
        var clock = new ManualClock();
        return (new SubmissionCapacity(clock, queueTimeout ?? TimeSpan.FromHours(1)), clock);
    }

    [Fact]
    public async Task AfterTheFirstAnswerWithNoLimitLearnedEverySubmissionGoesAtOnce()
    {
        var (capacity, _) = Create();
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        capacity.Accepted("first");
        for (var i = 0; i < 5; i++) await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(5, capacity.Sending);
        Assert.Null(capacity.Limit);
    }

    [Fact]
    public async Task ARefusalSetsTheLimitToOurRunningTasksAndTheNextWaitsForAFinish()
    {
        var (capacity, _) = Create();
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("a");
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        var refusedPlace = new QueuePlace();
        await capacity.AcquireAsync(CancellationToken.None, refusedPlace).WaitAsync(Guard);
        capacity.Accepted("b");
        capacity.Refused();

        Assert.Equal(2, capacity.Limit);
        var next = capacity.AcquireAsync(CancellationToken.None, refusedPlace);
        Assert.False(next.IsCompleted);
        Assert.Equal(1, capacity.Waiting);

        Assert.True(capacity.Finished("a"));
        await next.WaitAsync(Guard);
        Assert.Equal(0, capacity.Waiting);
        Assert.Equal(1, capacity.Running);
        Assert.Equal(1, capacity.Sending);
    }

    [Fact]
    public async Task WaitersGoFirstComeFirstServedAndARefusedRequestGoesBackToItsPlaceAheadOfLaterOnes()
    {
        var (capacity, _) = Create();
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("a");
        var refusedPlace = new QueuePlace();
        await capacity.AcquireAsync(CancellationToken.None, refusedPlace);
        capacity.Refused();
        var order = new List<string>();
        var second = capacity.AcquireAsync(CancellationToken.None).ContinueWith(_ => { lock (order) order.Add("second"); });
        var third = capacity.AcquireAsync(CancellationToken.None).ContinueWith(_ => { lock (order) order.Add("third"); });
        var refused = capacity.AcquireAsync(CancellationToken.None, refusedPlace).ContinueWith(_ => { lock (order) order.Add("refused"); });

        capacity.Finished("a");
        await refused.WaitAsync(Guard);
        Assert.Equal(new[] { "refused" }, order);
        Assert.False(second.IsCompleted);
        capacity.Accepted("b");
        capacity.Finished("b");
        await second.WaitAsync(Guard);
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task AfterProbeEveryAcceptedAtTheLimitItTriesOneMore()
    {
        var (capacity, _) = Create();
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("t0");
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Refused();
        Assert.Equal(1, capacity.Limit);

        for (var i = 1; i < SubmissionCapacity.ProbeEvery; i++)
        {
            capacity.Finished("t" + (i - 1));
            await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
            capacity.Accepted("t" + i);
            Assert.Equal(1, capacity.Limit);
        }
        capacity.Finished("t" + (SubmissionCapacity.ProbeEvery - 1));
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        capacity.Accepted("probe-base");

        Assert.Equal(2, capacity.Limit);
        // One more may go while one runs: the probe.
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        capacity.Refused();
        Assert.Equal(1, capacity.Limit);
    }

    [Fact]
    public async Task AnAcceptedSubmissionBeyondTheEstimateRaisesIt()
    {
        var (capacity, _) = Create();
        await capacity.AcquireAsync(CancellationToken.None);
        var second = capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("a");
        await second.WaitAsync(Guard);
        await capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        capacity.Refused();      // answered before b's acceptance arrived
        Assert.Equal(1, capacity.Limit);
        capacity.Accepted("b");

        Assert.Equal(2, capacity.Limit);
    }

    [Fact]
    public async Task ARefusalWithNoneOfOursRunningBacksOffInsteadOfWaitingForAFinish()
    {
        var (capacity, clock) = Create();
        var place = new QueuePlace();
        await capacity.AcquireAsync(CancellationToken.None, place);
        capacity.Refused();
        Assert.Null(capacity.Limit);

        var retry = capacity.AcquireAsync(CancellationToken.None, place);
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(0.9));
        Assert.False(retry.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await retry.WaitAsync(Guard);

        capacity.Refused();
        var again = capacity.AcquireAsync(CancellationToken.None, place);
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(again.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await again.WaitAsync(Guard);
    }

    [Fact]
    public async Task ARequestGivesUpAfterTheQueueTimeoutWithoutProgressAndProgressExtendsIt()
    {
        var (capacity, clock) = Create(TimeSpan.FromSeconds(60));
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("a");
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("b");
        var place = new QueuePlace();
        await capacity.AcquireAsync(CancellationToken.None, place);
        capacity.Refused();

        var waiting = capacity.AcquireAsync(CancellationToken.None, place);
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(50));
        capacity.Finished("a");   // progress: the queue moved at 50 s, which also grants the waiter
        await waiting.WaitAsync(Guard);
        capacity.Accepted("c");

        var stuck = capacity.AcquireAsync(CancellationToken.None);
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(stuck.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<ZAiApiException>(() => stuck.WaitAsync(Guard));

        Assert.Equal(ZAiErrorReason.QueueTimeout, error.Reason);
        Assert.Equal("ZAiQueueTimeout", error.ErrorId);
        Assert.Contains("waited 60 s (-QueueTimeoutSec)", error.Message);
        Assert.Equal(0, capacity.Waiting);
    }

    [Fact]
    public async Task CancellingAWaiterTakesItOutOfTheLine()
    {
        var (capacity, _) = Create();
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("a");
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Refused();
        using var stop = new CancellationTokenSource();
        var waiting = capacity.AcquireAsync(stop.Token);

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Guard));
        Assert.Equal(0, capacity.Waiting);
        capacity.Finished("a");
        Assert.Equal(0, capacity.Sending);
    }

    [Fact]
    public async Task RefusedRequestsGoBackInTheOrderTheyFirstAskedNotInTheOrderTheyComeBack()
    {
        var (capacity, _) = Create();
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("a");
        var places = new[] { new QueuePlace(), new QueuePlace(), new QueuePlace() };
        foreach (var place in places) await capacity.AcquireAsync(CancellationToken.None, place).WaitAsync(Guard);
        capacity.Refused();
        capacity.Refused();
        capacity.Refused();
        Assert.Equal(1, capacity.Limit);

        var order = new List<string>();
        using var granted = new SemaphoreSlim(0);
        Task Ask(QueuePlace? place, string name) =>
            capacity.AcquireAsync(CancellationToken.None, place).ContinueWith(t => { t.GetAwaiter().GetResult(); lock (order) order.Add(name); granted.Release(); }, TaskScheduler.Default);
        // The refusals come back first 1, then 2, then 3; a request that asks for the first time meanwhile is behind them all.
        var waits = new[] { Ask(places[0], "p1"), Ask(places[1], "p2"), Ask(null, "new"), Ask(places[2], "p3") };
        Assert.Equal(4, capacity.Waiting);

        for (var i = 0; i < 4; i++)
        {
            capacity.Finished(i == 0 ? "a" : "t" + i);
            // Counted, not looked for among the waits still open: the one let go may finish before they are listed.
            Assert.True(await granted.WaitAsync(Guard), $"No request got room after finish {i + 1}.");
            capacity.Accepted("t" + (i + 1));
        }
        await Task.WhenAll(waits).WaitAsync(Guard);
        Assert.Equal(new[] { "p1", "p2", "p3", "new" }, order);
    }

    [Fact]
    public async Task ARequestRefusedAgainAndAgainGivesUpAtItsQueueTimeCountedFromWhenItFirstQueued()
    {
        var (capacity, clock) = Create(TimeSpan.FromSeconds(2.5));
        var place = new QueuePlace();
        await capacity.AcquireAsync(CancellationToken.None, place);
        capacity.Refused();   // none of ours runs: back off 1 s

        var retry = capacity.AcquireAsync(CancellationToken.None, place);
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await retry.WaitAsync(Guard);
        capacity.Refused();   // back off 2 s, to 3 s: past the 2.5 s the request may wait since it first queued at 0 s

        var again = capacity.AcquireAsync(CancellationToken.None, place);
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(1.4));
        Assert.False(again.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        var error = await Assert.ThrowsAsync<ZAiApiException>(() => again.WaitAsync(Guard));
        Assert.Equal(ZAiErrorReason.QueueTimeout, error.Reason);
        Assert.Equal(0, capacity.Waiting);
    }

    [Fact]
    public void FinishedRemembersTheFastestRun()
    {
        var (capacity, clock) = Create();
        capacity.AcquireAsync(CancellationToken.None).Wait(Guard);
        capacity.Accepted("slow");
        clock.Advance(TimeSpan.FromSeconds(3));
        capacity.AcquireAsync(CancellationToken.None).Wait(Guard);
        capacity.Accepted("fast");
        clock.Advance(TimeSpan.FromSeconds(2));
        capacity.Finished("fast");
        capacity.Finished("slow");

        Assert.Equal(TimeSpan.FromSeconds(2), capacity.FastestRun);
        Assert.False(capacity.Finished("unknown"));
    }
}
