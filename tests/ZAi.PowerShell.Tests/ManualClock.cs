using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// Virtual time for tests: nothing moves until <see cref="Advance"/>, which completes the delays and fires the
/// timers that fall due, in time order. <see cref="WhenPending"/> lets a test wait until the code under test
/// has parked on a delay instead of sleeping.
/// </summary>
internal sealed class ManualClock : IClock
{
    private readonly object _lock = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Done)> _delays = new();
    private readonly List<PeriodicTimer> _timers = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _pendingWatchers = new();
    private TimeSpan _now;

    public ManualClock(DateTime? startUtc = null)
    {
        StartUtc = startUtc ?? new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    }

    public DateTime StartUtc { get; }

    public DateTime UtcNow { get { lock (_lock) return StartUtc + _now; } }

    public TimeSpan Elapsed { get { lock (_lock) return _now; } }

    /// <summary>The delays requested so far and not yet completed or cancelled.</summary>
    public int PendingDelays { get { lock (_lock) return _delays.Count; } }

    /// <summary>Every delay length requested so far, in order.</summary>
    public List<TimeSpan> Requested { get; } = new();

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero) return Task.CompletedTask;
        // As on the real clock (Task.Delay): a token already cancelled gives a cancelled task, and the call throws nothing.
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            Requested.Add(delay);
            var entry = (_now + delay, done);
            _delays.Add(entry);
            cancellationToken.Register(() =>
            {
                lock (_lock) _delays.Remove(entry);
                done.TrySetCanceled(cancellationToken);
            });
            NotifyPending();
        }
        return done.Task;
    }

    public IDisposable Every(TimeSpan period, Action callback)
    {
        var timer = new PeriodicTimer(this, period, callback);
        lock (_lock) _timers.Add(timer);
        return timer;
    }

    /// <summary>Completes once at least <paramref name="count"/> delays are pending; fails the test after 10 real seconds.</summary>
    public async Task WhenPending(int count)
    {
        var reached = Pending(count);
        var finished = await Task.WhenAny(reached, Task.Delay(TimeSpan.FromSeconds(10)));
        if (finished != reached) throw new TimeoutException($"Waited 10 s for {count} pending delay(s); {PendingDelays} pending.");
    }

    /// <summary>
    /// Until <paramref name="work"/> ends: each time it is parked on a delay, moves time to that delay's end (and no
    /// further); what it waited for is in <see cref="Requested"/>. Only for work that waits when nothing else of it runs
    /// (a retry's wait): time moved while a read is in progress would age that read.
    /// </summary>
    public async Task<T> RunDelays<T>(Task<T> work)
    {
        while (!work.IsCompleted)
        {
            var parked = Pending(1);
            if (await Task.WhenAny(work, parked) == parked) AdvanceToNextDelay();
        }
        return await work;
    }

    private Task Pending(int count)
    {
        lock (_lock)
        {
            if (_delays.Count >= count) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _pendingWatchers.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Moves time to the earliest pending delay's end, completing it (and the timers due on the way); false when none is pending.</summary>
    public bool AdvanceToNextDelay()
    {
        TimeSpan by;
        lock (_lock)
        {
            if (_delays.Count == 0) return false;
            by = _delays.Min(d => d.Due) - _now;
        }
        Advance(by);
        return true;
    }

    /// <summary>Moves time forward, completing each delay and firing each timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        TimeSpan target;
        lock (_lock) target = _now + by;
        while (true)
        {
            TaskCompletionSource? delay = null;
            PeriodicTimer? timer = null;
            lock (_lock)
            {
                var nextDelay = _delays.Where(d => d.Due <= target).OrderBy(d => d.Due).FirstOrDefault();
                var nextTimer = _timers.Where(t => t.NextDue <= target).OrderBy(t => t.NextDue).FirstOrDefault();
                if (nextDelay.Done is null && nextTimer is null)
                {
                    _now = target;
                    return;
                }
                if (nextTimer is null || (nextDelay.Done != null && nextDelay.Due <= nextTimer.NextDue))
                {
                    _now = nextDelay.Due;
                    _delays.Remove(nextDelay);
                    delay = nextDelay.Done;
                }
                else
                {
                    _now = nextTimer.NextDue;
                    nextTimer.NextDue += nextTimer.Period;
                    timer = nextTimer;
                }
            }
            delay?.TrySetResult();
            timer?.Fire();
        }
    }

    private void NotifyPending()
    {
        foreach (var watcher in _pendingWatchers.Where(w => _delays.Count >= w.Count).ToList())
        {
            _pendingWatchers.Remove(watcher);
            watcher.Reached.TrySetResult();
        }
    }

    private sealed class PeriodicTimer : IDisposable
    {
        private readonly ManualClock _clock;
        private readonly Action _callback;
        private bool _disposed;

        public PeriodicTimer(ManualClock clock, TimeSpan period, Action callback)
        {
            _clock = clock;
            _callback = callback;
            Period = period;
            NextDue = clock._now + period;
        }

        public TimeSpan Period { get; }

        public TimeSpan NextDue { get; set; }

        public void Fire()
        {
            if (!_disposed) _callback();
        }

        public void Dispose()
        {
            _disposed = true;
            lock (_clock._lock) _clock._timers.Remove(this);
        }
    }
}
