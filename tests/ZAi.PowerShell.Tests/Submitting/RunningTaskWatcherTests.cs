using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Submitting;

/// <summary>
/// How fast freed room is refilled (issue 26): the watcher looks at a running task on a schedule timed by the
/// fastest run seen, and plans again the moment a request queues. In virtual time, on events.
/// </summary>
public sealed class RunningTaskWatcherTests
{
    private readonly ManualClock _clock = new();
    private readonly List<(string Id, TimeSpan At)> _fetches = new();
    private readonly TaskCompletionSource _fetched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningTaskWatcher Watcher(AccountState account) => new(account, (id, _) =>
    {
        lock (_fetches) _fetches.Add((id, _clock.Elapsed));
        _fetched.TrySetResult();
        return Task.FromResult(TestResults.Status(id, "PROCESSING"));
    }, new CollectingLog(), _clock);

    /// <summary>An account on which one task ran for <paramref name="run"/> (the fastest run seen) and <paramref name="next"/> runs now.</summary>
    private async Task<AccountState> AfterOneRunOf(TimeSpan run, string next)
    {
        var account = new AccountState(_clock);
        var capacity = account.Capacity;
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("first");
        _clock.Advance(run);
        Assert.True(capacity.Finished("first"));
        Assert.Equal(run, capacity.FastestRun);
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted(next);
        return account;
    }

    [Fact]
    public async Task LooksAtATaskFromNineTenthsOfTheFastestRunInStepsOfATwentiethGrowingOneAndAHalfTimes()
    {
        var account = await AfterOneRunOf(TimeSpan.FromSeconds(2), "second");
        var watcher = Watcher(account);

        var looks = new List<double>();
        var start = _clock.Elapsed;
        for (var i = 0; i < 4; i++)
        {
            var next = await watcher.PollDueAsync(CancellationToken.None);
            _clock.Advance(next);
            await watcher.PollDueAsync(CancellationToken.None);
            looks.Add((_fetches.Last().At - start).TotalSeconds);
        }

        // 0.9 x 2 s, then steps of 2 s / 20 = 0.1 s growing 1.5x: 1.8, 1.9, 2.05, 2.275.
        Assert.Equal(new[] { 1.8, 1.9, 2.05, 2.275 }, looks.Select(s => Math.Round(s, 3)).ToArray());
        Assert.All(_fetches, f => Assert.Equal("second", f.Id));
    }

    [Fact]
    public async Task AStepIsNeverShorterThanTheFloorHoweverShortTheRun()
    {
        var watcher = Watcher(await AfterOneRunOf(TimeSpan.FromMilliseconds(100), "next"));

        _clock.Advance(TimeSpan.FromMilliseconds(90));
        await watcher.PollDueAsync(CancellationToken.None);
        var next = await watcher.PollDueAsync(CancellationToken.None);

        Assert.Single(_fetches);
        Assert.Equal(RunningTaskWatcher.MinStep, next);
    }

    [Fact]
    public async Task ARequestThatQueuesWakesTheWatcherWithoutWaitingForItsNextLook()
    {
        var account = new AccountState(_clock);
        var capacity = account.Capacity;
        // One task runs and a second was refused: the account allows one task in flight.
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Accepted("running");
        await capacity.AcquireAsync(CancellationToken.None);
        capacity.Refused();
        Assert.Equal(1, capacity.Limit);
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(() => Watcher(account).RunAsync(stop.Token));
        await _clock.WhenPending(1);
        // Past the task's first look (1 s: no run seen yet), while nobody waits: the watcher sleeps and looks at nothing.
        _clock.Advance(TimeSpan.FromSeconds(1.1));
        await _clock.WhenPending(1);
        Assert.Empty(_fetches);

        var queued = capacity.AcquireAsync(CancellationToken.None);

        // The clock does not move: the queued request alone wakes the watcher, which looks at the running task now.
        var woke = await Task.WhenAny(_fetched.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(_fetched.Task, woke);
        Assert.Equal(("running", TimeSpan.FromSeconds(1.1)), _fetches[0]);
        Assert.False(queued.IsCompleted);
        // Stopped once asleep again: a stop during a look may end the watcher with OperationCanceledException.
        await _clock.WhenPending(1);
        stop.Cancel();
        await watching.WaitAsync(TimeSpan.FromSeconds(10));
        capacity.Finished("running");
        await queued;
    }

    [Fact]
    public async Task AStopWhileTheWatcherSleepsEndsItWithoutAnException()
    {
        // Every Start command stops its watcher at its end, almost always asleep: that threw an OperationCanceledException,
        // and SubmissionBatch's wait for the watcher an AggregateException, on every command.
        var account = new AccountState(_clock);
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(() => Watcher(account).RunAsync(stop.Token));
        await _clock.WhenPending(1);

        var thrown = await FirstChance.CountAsync(
            _ => Environment.StackTrace.Contains(nameof(RunningTaskWatcher), StringComparison.Ordinal),
            () =>
            {
                stop.Cancel();
                return watching.WaitAsync(TimeSpan.FromSeconds(10));
            });

        Assert.Equal(TaskStatus.RanToCompletion, watching.Status);
        Assert.Equal(0, thrown);
        Assert.Empty(_fetches);
    }
}
