using ZAi.PowerShell.Waiting;
using Xunit;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// The poll loop of Wait-ZAiAsyncResult with a fake fetch function and a recording observer: no network. Unanswered
/// fetches block on completion sources the tests control, so the order of events is decided by the test, not by timing.
/// </summary>
public class TaskWaiterTests
{
    private static readonly TimeSpan Guard = FakeFetch.Guard;

    private static WaitOptions Fast(int throttle = 10, TimeSpan? timeout = null, bool any = false, TimeSpan? first = null) => new()
    {
        FirstInterval = first ?? TimeSpan.FromMilliseconds(1),
        MaxInterval = first ?? TimeSpan.FromMilliseconds(5),
        Timeout = timeout,
        ThrottleLimit = throttle,
        Any = any,
    };

    private static (TaskWaiter Waiter, RecordingWaitObserver Observer) Create(FakeFetch fetch, WaitOptions options, RateLimitGate? gate = null, ManualClock? clock = null)
    {
        var observer = new RecordingWaitObserver();
        return (new TaskWaiter(fetch.FetchAsync, options, gate ?? new RateLimitGate(clock), observer, clock), observer);
    }

    private static ZAiApiException Transient(string what = "503") =>
        new(ZAiErrorReason.ServiceUnavailable, what, statusCode: 503, isTransient: true);

    private static ZAiApiException NotFound() =>
        new(ZAiErrorReason.NotFound, "not found", statusCode: 404, errorCode: "1209", isTransient: false);

    // ---- reporting ---------------------------------------------------------------------------

    [Fact]
    public async Task EachTaskIsReportedTheMomentItFinishesInCompletionOrder()
    {
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast());
        var run = waiter.RunAsync(new[] { "a", "b", "c" }, CancellationToken.None);
        var a1 = await fetch.NextAsync("a");
        var b1 = await fetch.NextAsync("b");
        var c1 = await fetch.NextAsync("c");

        c1.Answer("SUCCESS");
        await observer.WaitForFinishedAsync(1);
        Assert.False(a1.IsAnswered);
        Assert.False(b1.IsAnswered);
        a1.Answer("FAIL");
        await observer.WaitForFinishedAsync(2);
        b1.Answer("PROCESSING");
        (await fetch.NextAsync("b")).Answer("SUCCESS");
        await run.WaitAsync(Guard);

        var finished = observer.Of<FinishedEvent>();
        Assert.Equal(new[] { "c", "a", "b" }, finished.Select(f => f.Result.Id));
        Assert.Equal(new[] { AsyncTaskStatus.Success, AsyncTaskStatus.Fail, AsyncTaskStatus.Success }, finished.Select(f => f.Result.StatusValue));
        Assert.Equal(4, fetch.Started);
        Assert.Empty(observer.Of<PollFailedEvent>());
        Assert.Empty(observer.Of<TimedOutEvent>());
    }

    [Fact]
    public async Task StatusChangesAreReportedOnlyWhenTheRawStatusChanges()
    {
        var script = new[] { "SUBMITTED", "SUBMITTED", "PROCESSING", "PROCESSING", "SUCCESS" };
        var fetch = new FakeFetch(call => call.Answer(script[call.Poll - 1]));
        var (waiter, observer) = Create(fetch, Fast());

        await waiter.RunAsync(new[] { "a" }, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(5, fetch.Started);
        var events = observer.For("a");
        Assert.Equal(4, events.Count);
        Assert.Collection(
            events,
            e => { var s = Assert.IsType<StatusChangedEvent>(e); Assert.Null(s.From); Assert.Equal("SUBMITTED", s.Result.TaskStatus); Assert.Equal(1, s.Polls); },
            e => { var s = Assert.IsType<StatusChangedEvent>(e); Assert.Equal("SUBMITTED", s.From); Assert.Equal("PROCESSING", s.Result.TaskStatus); Assert.Equal(3, s.Polls); },
            e => { var s = Assert.IsType<StatusChangedEvent>(e); Assert.Equal("PROCESSING", s.From); Assert.Equal("SUCCESS", s.Result.TaskStatus); Assert.Equal(5, s.Polls); },
            e => Assert.Equal("SUCCESS", Assert.IsType<FinishedEvent>(e).Result.TaskStatus));
    }

    [Fact]
    public async Task FailIsReportedAsAFinishedFailureNotAsAnError()
    {
        var fetch = new FakeFetch(call => call.Answer("FAIL"));
        var (waiter, observer) = Create(fetch, Fast());

        await waiter.RunAsync(new[] { "a" }, CancellationToken.None).WaitAsync(Guard);

        var finished = Assert.Single(observer.Of<FinishedEvent>());
        Assert.Equal("a", finished.Result.Id);
        Assert.Equal(AsyncTaskStatus.Fail, finished.Result.StatusValue);
        Assert.Empty(observer.Of<PollFailedEvent>());
        var progress = waiter.Snapshot();
        Assert.Equal(1, progress.Failed);
        Assert.Equal(0, progress.Errors);
        Assert.Equal(0, progress.Succeeded);
        Assert.Equal(1, fetch.Started);
    }

    [Fact]
    public async Task UnknownStatusesKeepPolling()
    {
        var script = new[] { "QUEUED", "RENDERING", "SUCCESS" };
        var fetch = new FakeFetch(call => call.Answer(script[call.Poll - 1]));
        var (waiter, observer) = Create(fetch, Fast());

        await waiter.RunAsync(new[] { "a" }, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(3, fetch.Started);
        Assert.Equal(new[] { "QUEUED", "RENDERING", "SUCCESS" }, observer.Of<StatusChangedEvent>().Select(s => s.Result.TaskStatus));
        Assert.Single(observer.Of<FinishedEvent>());
    }

    // ---- errors ------------------------------------------------------------------------------

    [Fact]
    public async Task TransientErrorsKeepWaitingAndDoNotDisturbOtherTasks()
    {
        var errors = new[] { Transient("first"), Transient("second") };
        var fetch = new FakeFetch(call =>
        {
            if (call.Id == "a")
            {
                if (call.Poll <= 2) call.Fail(errors[call.Poll - 1]);
                else call.Answer("SUCCESS");
            }
            else
            {
                call.Answer(call.Poll == 1 ? "PROCESSING" : "SUCCESS");
            }
        });
        var (waiter, observer) = Create(fetch, Fast());

        await waiter.RunAsync(new[] { "a", "b" }, CancellationToken.None).WaitAsync(Guard);

        var failures = observer.Of<PollFailedEvent>();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => { Assert.Equal("a", f.Id); Assert.True(f.KeepsWaiting); });
        Assert.Same(errors[0], failures[0].Error);
        Assert.Same(errors[1], failures[1].Error);
        Assert.Equal(new[] { "a", "b" }, observer.Of<FinishedEvent>().Select(f => f.Result.Id).OrderBy(id => id));
        // A failed poll is not a poll: the first answer of 'a' is reported as its first status.
        var first = Assert.Single(observer.Of<StatusChangedEvent>(), s => s.Id == "a");
        Assert.Null(first.From);
        Assert.Equal(1, first.Polls);
        Assert.Equal(3, fetch.CallsFor("a"));
        Assert.Equal(2, fetch.CallsFor("b"));
        var progress = waiter.Snapshot();
        Assert.Equal(2, progress.Succeeded);
        Assert.Equal(0, progress.Errors);
    }

    [Fact]
    public async Task APermanentErrorGivesUpOnlyThatTask()
    {
        var notFound = NotFound();
        var broken = new FormatException("not JSON");
        var fetch = new FakeFetch(call =>
        {
            switch (call.Id)
            {
                case "a": call.Fail(notFound); break;
                case "c": call.Fail(broken); break;
                default: call.Answer(call.Poll < 3 ? "PROCESSING" : "SUCCESS"); break;
            }
        });
        var (waiter, observer) = Create(fetch, Fast());

        await waiter.RunAsync(new[] { "a", "b", "c" }, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(1, fetch.CallsFor("a"));
        Assert.Equal(1, fetch.CallsFor("c"));
        Assert.Equal(3, fetch.CallsFor("b"));
        var failures = observer.Of<PollFailedEvent>().OrderBy(f => f.Id).ToArray();
        Assert.Equal(2, failures.Length);
        Assert.Equal("a", failures[0].Id);
        Assert.Same(notFound, failures[0].Error);
        Assert.False(failures[0].KeepsWaiting);
        Assert.Equal("c", failures[1].Id);
        Assert.Same(broken, failures[1].Error);
        Assert.False(failures[1].KeepsWaiting);
        Assert.Equal("b", Assert.Single(observer.Of<FinishedEvent>()).Result.Id);
        var progress = waiter.Snapshot();
        Assert.Equal(2, progress.Errors);
        Assert.Equal(1, progress.Succeeded);
        Assert.Equal(0, progress.Running);
        Assert.Equal(3, progress.Done);
    }

    // ---- timeout -----------------------------------------------------------------------------

    [Fact]
    public async Task TheOverallTimeoutReportsUnfinishedTasksWithTheirLastResult()
    {
        var clock = new ManualClock();
        var limit = TimeSpan.FromSeconds(10);
        var fetch = new FakeFetch(call =>
        {
            switch (call.Id)
            {
                case "running": call.Answer("PROCESSING"); break;
                case "done": call.Answer("SUCCESS"); break;
                case "stuck" when call.Poll == 1: call.Answer("SUBMITTED"); break;
                // "stuck" after its first poll and "silent" always: the call never answers.
            }
        });
        var (waiter, observer) = Create(fetch, Fast(timeout: limit), clock: clock);

        var run = waiter.RunAsync(new[] { "running", "done", "stuck", "silent" }, CancellationToken.None);
        // Every first answer is in (silent's never comes); then the time limit passes in virtual time.
        await observer.WaitUntilAsync(e => e.OfType<FinishedEvent>().Any() && e.OfType<StatusChangedEvent>().Count(c => c.Id is "running" or "stuck") == 2);
        clock.Advance(limit);
        await run.WaitAsync(Guard);

        var timedOut = observer.Of<TimedOutEvent>().ToDictionary(t => t.Id);
        Assert.Equal(new[] { "running", "silent", "stuck" }, timedOut.Keys.OrderBy(id => id));
        Assert.All(timedOut.Values, t => Assert.Equal(limit, t.Limit));
        Assert.Equal("PROCESSING", timedOut["running"].Last!.TaskStatus);
        Assert.Equal("SUBMITTED", timedOut["stuck"].Last!.TaskStatus);
        Assert.Null(timedOut["silent"].Last);
        Assert.Equal("done", Assert.Single(observer.Of<FinishedEvent>()).Result.Id);
        Assert.All(fetch.All.Where(c => !c.IsAnswered || c.Task.IsCanceled), c => Assert.True(c.Token.IsCancellationRequested));
        var progress = waiter.Snapshot();
        Assert.Equal(3, progress.TimedOut);
        Assert.Equal(1, progress.Succeeded);
        Assert.Equal(0, progress.Running);
        Assert.Null(progress.OldestRunningId);
    }

    [Fact]
    public async Task WithoutATimeoutNothingIsReportedAsTimedOut()
    {
        var fetch = new FakeFetch(call => call.Answer(call.Poll < 20 ? "PROCESSING" : "SUCCESS"));
        var (waiter, observer) = Create(fetch, Fast(timeout: null));

        await waiter.RunAsync(new[] { "a" }, CancellationToken.None).WaitAsync(Guard);

        Assert.Empty(observer.Of<TimedOutEvent>());
        Assert.Equal(20, fetch.Started);
        Assert.Equal(1, waiter.Snapshot().Succeeded);
    }

    // ---- Any ---------------------------------------------------------------------------------

    [Fact]
    public async Task AnyStopsAfterTheFirstFinishedTask()
    {
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast(any: true, timeout: TimeSpan.FromMinutes(5)));
        var run = waiter.RunAsync(new[] { "a", "b", "c" }, CancellationToken.None);
        var a1 = await fetch.NextAsync("a");
        var b1 = await fetch.NextAsync("b");
        var c1 = await fetch.NextAsync("c");

        b1.Answer("SUCCESS");
        await run.WaitAsync(Guard);

        Assert.Equal("b", Assert.Single(observer.Of<FinishedEvent>()).Result.Id);
        Assert.Empty(observer.Of<TimedOutEvent>());
        Assert.Empty(observer.Of<PollFailedEvent>());
        Assert.True(a1.Token.IsCancellationRequested);
        Assert.True(c1.Token.IsCancellationRequested);
        Assert.True(a1.Task.IsCanceled);
        Assert.True(c1.Task.IsCanceled);
        Assert.Equal(3, fetch.Started);
        var progress = waiter.Snapshot();
        Assert.Equal(1, progress.Succeeded);
        Assert.Equal(0, progress.TimedOut);
        Assert.Equal(0, progress.Failed);
        Assert.Equal(2, progress.Running);   // left unfinished by -Any: the summary must not say 0
    }

    [Fact]
    public async Task AnyCountsAFailureAsTheFirstFinishedTask()
    {
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast(any: true));
        var run = waiter.RunAsync(new[] { "a", "b" }, CancellationToken.None);
        var a1 = await fetch.NextAsync("a");
        var b1 = await fetch.NextAsync("b");

        a1.Answer("FAIL");
        await run.WaitAsync(Guard);

        var finished = Assert.Single(observer.Of<FinishedEvent>());
        Assert.Equal("a", finished.Result.Id);
        Assert.Equal(AsyncTaskStatus.Fail, finished.Result.StatusValue);
        Assert.True(b1.Task.IsCanceled);
        Assert.Equal(1, waiter.Snapshot().Failed);
    }

    [Fact]
    public async Task AnyReportsExactlyOneTaskWhenSeveralFinishAtOnce()
    {
        var ids = Enumerable.Range(0, 8).Select(i => "t" + i).ToArray();
        for (var round = 0; round < 25; round++)
        {
            var fetch = new FakeFetch(call => call.Answer("SUCCESS"));
            var (waiter, observer) = Create(fetch, Fast(any: true, throttle: ids.Length));

            await waiter.RunAsync(ids, CancellationToken.None).WaitAsync(Guard);

            Assert.Single(observer.Of<FinishedEvent>());
            Assert.Equal(1, waiter.Snapshot().Succeeded);
            Assert.Empty(observer.Of<TimedOutEvent>());
        }
    }

    // ---- throttle ----------------------------------------------------------------------------

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 10)]
    [InlineData(5, 12)]
    public async Task ThrottleLimitIsReachedButNeverExceeded(int throttle, int taskCount)
    {
        var ids = Enumerable.Range(0, taskCount).Select(i => "t" + i).ToArray();
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast(throttle: throttle));
        var run = waiter.RunAsync(ids, CancellationToken.None);

        var pending = new List<PendingFetch>();
        var finished = 0;
        while (finished < taskCount)
        {
            // Let the limit fill up completely before answering anything.
            while (pending.Count < Math.Min(throttle, taskCount - finished))
            {
                pending.Add(await fetch.NextAsync());
            }
            Assert.True(fetch.InFlight <= throttle, $"{fetch.InFlight} fetches in flight, limit {throttle}");
            var call = pending[0];
            pending.RemoveAt(0);
            if (call.Poll == 1)
            {
                call.Answer("PROCESSING");
            }
            else
            {
                call.Answer("SUCCESS");
                finished++;
            }
        }
        await run.WaitAsync(Guard);

        Assert.Equal(throttle, fetch.MaxInFlight);
        Assert.Equal(2 * taskCount, fetch.Started);
        Assert.Equal(taskCount, observer.Of<FinishedEvent>().Count);
    }

    // ---- cancellation ------------------------------------------------------------------------

    [Fact]
    public async Task CancellationDuringAFetchEndsTheWaitWithOperationCanceled()
    {
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast(throttle: 1, timeout: TimeSpan.FromMinutes(5)));
        using var stop = new CancellationTokenSource();
        var run = waiter.RunAsync(new[] { "a", "b", "c" }, stop.Token);
        var first = await fetch.NextAsync();

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Guard));
        Assert.True(first.Token.IsCancellationRequested);
        Assert.True(first.Task.IsCanceled);
        // Whatever else was called got a token that was already cancelled, so it could not reach the network.
        Assert.All(fetch.All.Where(c => c != first), c => Assert.True(c.CancelledAtStart, $"{c.Id} was fetched with a live token after the stop"));
        Assert.Empty(observer.Of<TimedOutEvent>());
        Assert.Empty(observer.Of<FinishedEvent>());
        Assert.Empty(observer.Of<PollFailedEvent>());
        var progress = waiter.Snapshot();
        Assert.Equal(0, progress.TimedOut);
        Assert.Equal(0, progress.Errors);
        Assert.Equal(0, progress.Done);
    }

    [Fact]
    public async Task NoFetchIsStartedAfterCancellation()
    {
        for (var round = 0; round < 20; round++)
        {
            var fetch = new FakeFetch();
            var (waiter, _) = Create(fetch, Fast(throttle: 1));
            using var stop = new CancellationTokenSource();
            var run = waiter.RunAsync(new[] { "a", "b", "c", "d" }, stop.Token);
            await fetch.NextAsync();

            stop.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Guard));
            Assert.Equal(1, fetch.Started);
        }
    }

    [Fact]
    public async Task CancellationDuringALongPollIntervalReturnsWithoutWaitingItOut()
    {
        var fetch = new FakeFetch(call => call.Answer("PROCESSING"));
        var (waiter, observer) = Create(fetch, Fast(first: TimeSpan.FromHours(1)));
        using var stop = new CancellationTokenSource();
        var run = waiter.RunAsync(new[] { "a", "b" }, stop.Token);
        await observer.WaitUntilAsync(events => events.OfType<StatusChangedEvent>().Count() == 2);

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Guard));
        Assert.Equal(2, fetch.Started);
        Assert.Empty(observer.Of<TimedOutEvent>());
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenStartsNoFetch()
    {
        var fetch = new FakeFetch(call => call.Answer("SUCCESS"));
        var (waiter, observer) = Create(fetch, Fast(timeout: TimeSpan.FromMinutes(1)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => waiter.RunAsync(new[] { "a", "b" }, new CancellationToken(canceled: true)).WaitAsync(Guard));

        Assert.Equal(0, fetch.Started);
        Assert.Empty(observer.Events);
    }

    [Fact]
    public async Task CancellationAfterEveryTaskFinishedStillThrows()
    {
        // RunAsync promises OperationCanceledException whenever the token is cancelled, so a cmdlet stopped with
        // Ctrl+C never mistakes a stopped wait for a complete one.
        using var stop = new CancellationTokenSource();
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast());
        var run = waiter.RunAsync(new[] { "a" }, stop.Token);
        var a1 = await fetch.NextAsync("a");

        a1.Answer("SUCCESS");
        await observer.WaitForFinishedAsync(1);
        stop.Cancel();
        var outcome = await Record.ExceptionAsync(() => run.WaitAsync(Guard));

        // Either the wait had already returned (nothing to stop) or it reports the stop; it never hangs or fails otherwise.
        Assert.True(outcome is null || outcome is OperationCanceledException, outcome?.ToString());
        Assert.Equal(1, waiter.Snapshot().Succeeded);
    }

    // ---- snapshot ----------------------------------------------------------------------------

    [Fact]
    public void SnapshotBeforeTheWaitIsEmpty()
    {
        var (waiter, _) = Create(new FakeFetch(), Fast());

        var progress = waiter.Snapshot();

        Assert.Equal(0, progress.Total);
        Assert.Equal(0, progress.Done);
        Assert.Equal(0, progress.Running);
        Assert.Null(progress.OldestRunningId);
    }

    [Fact]
    public async Task SnapshotNamesTheOldestRunningTaskInInputOrder()
    {
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast());
        var run = waiter.RunAsync(new[] { "a", "b", "c" }, CancellationToken.None);
        var a1 = await fetch.NextAsync("a");
        var b1 = await fetch.NextAsync("b");
        var c1 = await fetch.NextAsync("c");

        var start = waiter.Snapshot();
        Assert.Equal(3, start.Total);
        Assert.Equal(3, start.Running);
        Assert.Equal("a", start.OldestRunningId);
        Assert.Null(start.OldestRunningStatus);

        a1.Answer("SUCCESS");
        c1.Answer("PROCESSING");
        b1.Answer("SUBMITTED");
        await observer.WaitUntilAsync(events => events.OfType<FinishedEvent>().Any() && events.OfType<StatusChangedEvent>().Count() == 3);

        var middle = waiter.Snapshot();
        Assert.Equal(3, middle.Total);
        Assert.Equal(1, middle.Succeeded);
        Assert.Equal(2, middle.Running);
        Assert.Equal(1, middle.Done);
        Assert.Equal("b", middle.OldestRunningId);
        Assert.Equal("SUBMITTED", middle.OldestRunningStatus);

        (await fetch.NextAsync("b")).Answer("FAIL");
        (await fetch.NextAsync("c")).Answer("SUCCESS");
        await run.WaitAsync(Guard);

        var end = waiter.Snapshot();
        Assert.Equal(3, end.Total);
        Assert.Equal(2, end.Succeeded);
        Assert.Equal(1, end.Failed);
        Assert.Equal(0, end.Running);
        Assert.Equal(3, end.Done);
        Assert.Null(end.OldestRunningId);
        Assert.Null(end.OldestRunningStatus);
    }

    [Fact]
    public async Task SnapshotCountsEveryOutcome()
    {
        var fetch = new FakeFetch(call =>
        {
            switch (call.Id)
            {
                case "ok": call.Answer("SUCCESS"); break;
                case "failed": call.Answer("FAIL"); break;
                case "missing": call.Fail(NotFound()); break;
                default: call.Answer("PROCESSING"); break;
            }
        });
        var clock = new ManualClock();
        var (waiter, observer) = Create(fetch, Fast(timeout: TimeSpan.FromSeconds(10)), clock: clock);

        var run = waiter.RunAsync(new[] { "ok", "failed", "missing", "slow" }, CancellationToken.None);
        await observer.WaitUntilAsync(e => e.OfType<FinishedEvent>().Count() == 2 && e.OfType<PollFailedEvent>().Any() && e.OfType<StatusChangedEvent>().Any(c => c.Id == "slow"));
        clock.Advance(TimeSpan.FromSeconds(10));
        await run.WaitAsync(Guard);

        var progress = waiter.Snapshot();
        Assert.Equal(4, progress.Total);
        Assert.Equal(1, progress.Succeeded);
        Assert.Equal(1, progress.Failed);
        Assert.Equal(1, progress.Errors);
        Assert.Equal(1, progress.TimedOut);
        Assert.Equal(0, progress.Running);
        Assert.Equal(4, progress.Done);
        Assert.Equal(TimeSpan.FromSeconds(10), progress.Elapsed);
        Assert.Equal("slow", Assert.Single(observer.Of<TimedOutEvent>()).Id);
    }

    [Fact]
    public async Task DuplicateIdsArePolledAsSeparateTasks()
    {
        // The cmdlet removes duplicates before waiting; the waiter itself polls what it is given.
        var fetch = new FakeFetch(call => call.Answer("SUCCESS"));
        var (waiter, observer) = Create(fetch, Fast());

        await waiter.RunAsync(new[] { "a", "a" }, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(2, fetch.CallsFor("a"));
        Assert.Equal(2, observer.Of<FinishedEvent>().Count);
        Assert.Equal(2, waiter.Snapshot().Total);
    }

    // ---- rate limits -------------------------------------------------------------------------

    [Fact]
    public async Task ARateLimitPausesTheNextPollsOfEveryTaskAndSuccessesRelaxTheSlowdown()
    {
        var clock = new ManualClock();
        var gate = new RateLimitGate(clock);
        var fetch = new FakeFetch();
        var (waiter, observer) = Create(fetch, Fast(throttle: 2), gate, clock);
        var run = waiter.RunAsync(new[] { "a", "b" }, CancellationToken.None);
        var a1 = await fetch.NextAsync("a");
        var b1 = await fetch.NextAsync("b");

        // What the cmdlet's sender does when the API answers 429 with Retry-After.
        gate.OnRateLimited(TimeSpan.FromSeconds(30));
        a1.Fail(new ZAiApiException(ZAiErrorReason.RateLimited, "429", statusCode: 429, errorCode: "1302", isTransient: true, retryAfter: TimeSpan.FromSeconds(30)));
        b1.Answer("PROCESSING");
        // Both tasks park until their next turn; neither turn comes before the gate opens.
        await clock.WhenPending(2);
        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(2, clock.PendingDelays);   // still parked: no turn fell due before the gate opens
        Assert.Equal(2, fetch.Started);
        clock.Advance(TimeSpan.FromTicks(1));
        var a2 = await fetch.NextAsync("a");
        var b2 = await fetch.NextAsync("b");
        a2.Answer("SUCCESS");
        b2.Answer("SUCCESS");
        await run.WaitAsync(Guard);

        var failure = Assert.Single(observer.Of<PollFailedEvent>());
        Assert.Equal("a", failure.Id);
        Assert.True(failure.KeepsWaiting);
        // Slowed down to 2x by the rate limit, then three successful polls at 0.9x each.
        Assert.Equal(2 * 0.9 * 0.9 * 0.9, gate.Slowdown, 10);
        Assert.Equal(2, waiter.Snapshot().Succeeded);
    }

    [Fact]
    public async Task AClosedGateDelaysEvenTheFirstPoll()
    {
        var clock = new ManualClock();
        var gate = new RateLimitGate(clock);
        gate.OnRateLimited(TimeSpan.FromSeconds(30));
        var fetch = new FakeFetch(call => call.Answer("SUCCESS"));
        var (waiter, _) = Create(fetch, Fast(), gate, clock);

        var run = waiter.RunAsync(new[] { "a", "b", "c" }, CancellationToken.None);
        await clock.WhenPending(3);
        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(0, fetch.Started);
        clock.Advance(TimeSpan.FromTicks(1));
        await run.WaitAsync(Guard);

        Assert.Equal(3, fetch.Started);
    }

    [Fact]
    public async Task PollsQueuedForAThrottleSlotAlsoWaitForTheRateLimitGate()
    {
        var clock = new ManualClock();
        var gate = new RateLimitGate(clock);
        var ids = Enumerable.Range(0, 20).Select(i => "t" + i).ToArray();
        var fetch = new FakeFetch();
        var (waiter, _) = Create(fetch, Fast(throttle: 1), gate, clock);
        using var stop = new CancellationTokenSource();
        var run = waiter.RunAsync(ids, stop.Token);
        var first = await fetch.NextAsync();

        gate.OnRateLimited(TimeSpan.FromSeconds(30));
        first.Fail(new ZAiApiException(ZAiErrorReason.RateLimited, "429", statusCode: 429, isTransient: true));
        // The failed task parks for its next turn and the poll that took the freed slot waits for the gate.
        await clock.WhenPending(2);
        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(1, fetch.Started);
        clock.Advance(TimeSpan.FromTicks(1));
        var second = await fetch.NextAsync();
        second.Answer("SUCCESS");

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Guard));
    }
}
