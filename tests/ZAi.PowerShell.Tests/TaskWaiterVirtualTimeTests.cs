using ZAi.PowerShell.Waiting;
using Xunit;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// TaskWaiter on a <see cref="ManualClock"/>: poll intervals, the rate-limit slowdown and the time limit are
/// checked in virtual time, exactly, without sleeping.
/// </summary>
public class TaskWaiterVirtualTimeTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static WaitOptions Options(TimeSpan? timeout = null) => new()
    {
        FirstInterval = Second,
        MaxInterval = TimeSpan.FromSeconds(5),
        Timeout = timeout,
        ThrottleLimit = 4,
    };

    /// <summary>Waits until the waiter parks on its next delay, then returns that delay.</summary>
    private static async Task<TimeSpan> NextDelay(ManualClock clock, int requestedSoFar)
    {
        await clock.WhenPending(1);
        Assert.Equal(requestedSoFar + 1, clock.Requested.Count);
        return clock.Requested[requestedSoFar];
    }

    private static void AssertWithinJitter(double nominalSeconds, TimeSpan actual)
    {
        var low = nominalSeconds * (1 - PollSchedule.Jitter);
        Assert.InRange(actual.TotalSeconds, low - 1e-6, nominalSeconds + 1e-6);
    }

    [Fact]
    public async Task ATaskThatEndsBeforeItsTimeLimitEndsTheLimitsDelayWithoutAnException()
    {
        // Delays whose cancellation runs the waiter's continuation on the cancelling thread, so it has run by the
        // time the wait returns. Awaiting the cancelled delay threw one exception per task waited.
        var clock = new InlineCancelClock(new ManualClock());
        var fetch = new FakeFetch(call => call.Answer("SUCCESS"));
        var waiter = new TaskWaiter(fetch.FetchAsync, Options(TimeSpan.FromSeconds(30)), new RateLimitGate(clock), new RecordingWaitObserver(), clock);
        AsyncResult[] results = Array.Empty<AsyncResult>();

        var thrown = await FirstChance.CountAsync(
            e => e is OperationCanceledException && Environment.StackTrace.Contains("CancelAfterAsync", StringComparison.Ordinal),
            async () => results = await Task.WhenAll(waiter.WaitForAsync("a", CancellationToken.None), waiter.WaitForAsync("b", CancellationToken.None)).WaitAsync(FakeFetch.Guard));

        Assert.All(results, r => Assert.Equal(AsyncTaskStatus.Success, r.StatusValue));
        Assert.Equal(2, results.Length);
        Assert.Equal(2, clock.Cancelled);
        Assert.Equal(0, thrown);
    }

    private sealed class InlineCancelClock : ZAi.PowerShell.Timing.IClock
    {
        private readonly ManualClock _inner;
        private int _cancelled;

        public InlineCancelClock(ManualClock inner) => _inner = inner;

        public int Cancelled => Volatile.Read(ref _cancelled);

        public DateTime UtcNow => _inner.UtcNow;

        public TimeSpan Elapsed => _inner.Elapsed;

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource();
            cancellationToken.Register(() =>
            {
                Interlocked.Increment(ref _cancelled);
                done.TrySetCanceled(cancellationToken);
            });
            return done.Task;
        }

        public IDisposable Every(TimeSpan period, Action callback) => _inner.Every(period, callback);
    }

    [Fact]
    public async Task IntervalsGrowOneAndAHalfTimesUpToTheCap()
    {
        var clock = new ManualClock();
        var fetch = new FakeFetch(call => call.Answer(call.Poll < 7 ? "PROCESSING" : "SUCCESS"));
        var waiter = new TaskWaiter(fetch.FetchAsync, Options(), new RateLimitGate(clock), new RecordingWaitObserver(), clock);

        var wait = waiter.WaitForAsync("a", CancellationToken.None);
        var nominal = new[] { 1.0, 1.5, 2.25, 3.375, 5.0, 5.0 };
        for (var i = 0; i < nominal.Length; i++)
        {
            var delay = await NextDelay(clock, i);
            AssertWithinJitter(nominal[i], delay);
            Assert.Equal(i + 1, fetch.Started);
            clock.Advance(delay);
        }

        var result = await wait.WaitAsync(FakeFetch.Guard);
        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(7, fetch.Started);
    }

    [Fact]
    public async Task ARateLimitPausesThePollAndStretchesTheNextIntervals()
    {
        var clock = new ManualClock();
        var gate = new RateLimitGate(clock);
        var fetch = new FakeFetch(call =>
        {
            if (call.Poll == 2)
            {
                // What the request sender reports for a 429 before the waiter sees the error.
                gate.OnRateLimited(null);
                call.Fail(new ZAiApiException(ZAiErrorReason.RateLimited, "429", statusCode: 429, errorCode: "1302", isTransient: true));
            }
            else
            {
                call.Answer(call.Poll < 4 ? "PROCESSING" : "SUCCESS");
            }
        });
        var waiter = new TaskWaiter(fetch.FetchAsync, Options(), gate, new RecordingWaitObserver(), clock);

        var wait = waiter.WaitForAsync("a", CancellationToken.None);
        var first = await NextDelay(clock, 0);
        AssertWithinJitter(1.0, first);
        clock.Advance(first);

        // Poll 2 was rate limited: slowdown 2x, so the next interval is the first one doubled (1.8 to 2 s),
        // which is also past the gate's 1 s pause.
        var afterLimit = await NextDelay(clock, 1);
        Assert.Equal(2.0, gate.Slowdown);
        AssertWithinJitter(2.0, afterLimit);
        clock.Advance(afterLimit);

        // Poll 3 succeeded: the slowdown shrinks by 10% (to 1.8x) and stretches the grown interval (1.5 s).
        var next = await NextDelay(clock, 2);
        Assert.Equal(1.8, gate.Slowdown, 6);
        AssertWithinJitter(1.5 * 1.8, next);
        clock.Advance(next);

        await wait.WaitAsync(FakeFetch.Guard);
        Assert.Equal(4, fetch.Started);
    }

    [Fact]
    public async Task ANudgeFromTheSubmittersPollsAtOnceInsteadOfAtTheNextInterval()
    {
        var clock = new ManualClock();
        var id = "nudged-" + Guid.NewGuid().ToString("N");
        var fetch = new FakeFetch(call => call.Answer(call.Poll < 2 ? "PROCESSING" : "SUCCESS"));
        var account = new ZAi.PowerShell.Submitting.AccountState(clock);
        var waiter = new TaskWaiter(fetch.FetchAsync, Options(), new RateLimitGate(clock), new RecordingWaitObserver(), clock, account);

        var wait = waiter.WaitForAsync(id, CancellationToken.None);
        await clock.WhenPending(1);
        Assert.Equal(1, fetch.Started);

        Assert.True(account.TryNudge(id));
        var result = await wait.WaitAsync(FakeFetch.Guard);

        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(2, fetch.Started);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        Assert.False(account.TryNudge(id));
    }

    [Fact]
    public async Task AClosedGateHoldsThePollUntilItOpens()
    {
        var clock = new ManualClock();
        var gate = new RateLimitGate(clock);
        gate.OnRateLimited(TimeSpan.FromSeconds(30));
        var fetch = new FakeFetch(call => call.Answer("SUCCESS"));
        var waiter = new TaskWaiter(fetch.FetchAsync, Options(), gate, new RecordingWaitObserver(), clock);

        var wait = waiter.WaitForAsync("a", CancellationToken.None);
        var pause = await NextDelay(clock, 0);

        Assert.Equal(TimeSpan.FromSeconds(30), pause);
        Assert.Equal(0, fetch.Started);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, fetch.Started);
        clock.Advance(Second);
        await wait.WaitAsync(FakeFetch.Guard);
        Assert.Equal(1, fetch.Started);
    }

    [Fact]
    public async Task ATaskThatDoesNotFinishTimesOutAtItsLimitNotBefore()
    {
        var clock = new ManualClock();
        var fetch = new FakeFetch(call => call.Answer("PROCESSING"));
        var observer = new RecordingWaitObserver();
        var waiter = new TaskWaiter(fetch.FetchAsync, Options(timeout: TimeSpan.FromSeconds(10)), new RateLimitGate(clock), observer, clock);

        var wait = waiter.WaitForAsync("slow", CancellationToken.None);
        // Two delays pend: the time limit's and the next poll's.
        await clock.WhenPending(2);
        clock.Advance(TimeSpan.FromSeconds(9.99));
        Assert.False(wait.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(0.01));
        var error = await Assert.ThrowsAsync<ZAiTaskFailedException>(() => wait.WaitAsync(FakeFetch.Guard));

        Assert.True(error.TimedOut);
        Assert.Equal("slow", error.TaskId);
        Assert.Equal("PROCESSING", error.Result!.TaskStatus);
        Assert.Single(observer.Of<TimedOutEvent>());
        Assert.Equal(1, waiter.Snapshot().TimedOut);
    }

    [Fact]
    public async Task EachTaskCountsItsLimitFromWhenItWasAdded()
    {
        var clock = new ManualClock();
        var fetch = new FakeFetch(call => call.Answer("PROCESSING"));
        var waiter = new TaskWaiter(fetch.FetchAsync, Options(timeout: TimeSpan.FromSeconds(10)), new RateLimitGate(clock), new RecordingWaitObserver(), clock);

        var early = waiter.WaitForAsync("early", CancellationToken.None);
        await clock.WhenPending(2);
        clock.Advance(TimeSpan.FromSeconds(6));
        var late = waiter.WaitForAsync("late", CancellationToken.None);
        await clock.WhenPending(4);

        clock.Advance(TimeSpan.FromSeconds(4));
        await Assert.ThrowsAsync<ZAiTaskFailedException>(() => early.WaitAsync(FakeFetch.Guard));
        Assert.False(late.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(6));
        await Assert.ThrowsAsync<ZAiTaskFailedException>(() => late.WaitAsync(FakeFetch.Guard));
    }

    [Fact]
    public async Task AnEndedTaskIsCountedAndItsResultLetGoWhileTheOthersAreStillWaitedFor()
    {
        // A wait of thousands of tasks must not hold every result it has written until it ends.
        var clock = new ManualClock();
        var never = new TaskCompletionSource<AsyncResult>();
        var waiter = new TaskWaiter(
            (id, token) => id == "b" ? Task.FromResult(TestResults.Status("b", "SUCCESS")) : never.Task.WaitAsync(token),
            Options(), new RateLimitGate(clock), new ForgetfulObserver(), clock);
        using var stop = new CancellationTokenSource();
        var first = waiter.WaitForAsync("a", stop.Token);
        var ended = await WaitAndForget(waiter, "b");
        var third = waiter.WaitForAsync("c", stop.Token);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(ended.IsAlive, "The waiter still holds the result of a task whose wait is over.");
        var progress = waiter.Snapshot();
        Assert.Equal((3, 1, 2, "a"), (progress.Total, progress.Succeeded, progress.Running, progress.OldestRunningId));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        progress = waiter.Snapshot();
        Assert.Equal((3, 1, 2, (string?)null), (progress.Total, progress.Succeeded, progress.Running, progress.OldestRunningId));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> WaitAndForget(TaskWaiter waiter, string id)
    {
        var result = await waiter.WaitForAsync(id, CancellationToken.None).WaitAsync(FakeFetch.Guard);
        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        return new WeakReference(result);
    }

    private sealed class ForgetfulObserver : IWaitObserver
    {
        public void Finished(AsyncResult result) { }

        public void StatusChanged(string taskId, string? from, AsyncResult result, TimeSpan elapsed, int polls) { }

        public void PollFailed(string taskId, Exception error, bool keepsWaiting) { }

        public void TimedOut(string taskId, AsyncResult? last, TimeSpan limit) { }
    }
}
