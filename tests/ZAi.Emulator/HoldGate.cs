namespace ZAi.Emulator;

/// <summary>The events a <see cref="HoldGate"/> counts.</summary>
internal enum HoldEvent
{
    /// <summary>An API or media request arrives (the one that completes the count is held too).</summary>
    Request,

    /// <summary>A submission is accepted: its task is created (its answer still goes out).</summary>
    Accepted,

    /// <summary>A media response is served to its end.</summary>
    Media,
}

/// <summary>
/// Holds every API and media request once a number of events has happened, until a test releases them: a test
/// that kills a client "after the n-th accepted task" arms it, waits for <see cref="Holding"/> and kills, and the
/// client cannot finish its batch in between, however loaded the machine. Released requests are dropped unanswered
/// (their client is gone), so nothing a killed client asked for happens after the kill. Thread-safe.
/// </summary>
internal sealed class HoldGate
{
    private readonly Lock _gate = new();
    private HoldEvent? _on;
    private int _remaining;
    private int _held;
    private TaskCompletionSource _release = NewSignal();
    private TaskCompletionSource _holding = NewSignal();

    /// <summary>Whether the count has been reached: every request that arrives now is held.</summary>
    public bool Holding
    {
        get { lock (_gate) return _holding.Task.IsCompleted; }
    }

    /// <summary>Counts <paramref name="count"/> events of <paramref name="on"/> from now, then holds; drops what an earlier arming held.</summary>
    public void Arm(HoldEvent on, int count)
    {
        if (count < 1) throw new ArgumentException("count must be 1 or more.");
        Release();
        lock (_gate)
        {
            _on = on;
            _remaining = count;
        }
    }

    /// <summary>Drops every held request unanswered and disarms.</summary>
    public void Release()
    {
        TaskCompletionSource release;
        lock (_gate)
        {
            release = _release;
            _release = NewSignal();
            _holding = NewSignal();
            _on = null;
            _remaining = 0;
            _held = 0;
        }
        release.TrySetResult();
    }

    /// <summary>
    /// Called as each API or media request arrives: true to answer it now; false when it was held and then released
    /// (drop it unanswered), or its client went away while it was held.
    /// </summary>
    public async Task<bool> PassAsync(CancellationToken aborted)
    {
        Task release;
        lock (_gate)
        {
            if (!_holding.Task.IsCompleted)
            {
                if (_on != HoldEvent.Request) return true;
                CountLocked();
                if (!_holding.Task.IsCompleted) return true;
            }
            _held++;
            release = _release.Task;
        }
        try
        {
            await release.WaitAsync(aborted);
        }
        catch (OperationCanceledException)
        {
        }
        return false;
    }

    /// <summary>Counts an event of <paramref name="what"/> (accepted submissions, media served).</summary>
    public void Happened(HoldEvent what)
    {
        lock (_gate)
        {
            if (_on == what && !_holding.Task.IsCompleted) CountLocked();
        }
    }

    /// <summary>Completes when the gate holds, or after <paramref name="wait"/>; returns the state then.</summary>
    public async Task<HoldState> WaitAsync(TimeSpan wait, CancellationToken ct)
    {
        Task holding;
        lock (_gate) holding = _holding.Task;
        try
        {
            await holding.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
        }
        return Snapshot();
    }

    public HoldState Snapshot()
    {
        lock (_gate)
        {
            return new HoldState
            {
                On = _on?.ToString().ToLowerInvariant(),
                Remaining = _remaining,
                Holding = _holding.Task.IsCompleted,
                Held = _held,
            };
        }
    }

    private void CountLocked()
    {
        if (--_remaining <= 0) _holding.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Body of <c>/_emulator/hold</c>: <c>POST {"on": "request"|"accepted"|"media", "count": n}</c> arms the gate; GET and the answers report it.</summary>
internal sealed class HoldState
{
    /// <summary>What the gate counts (request, accepted or media); null when it is not armed.</summary>
    public string? On { get; set; }

    /// <summary>Events still to come before it holds (in a POST: how many to count; default 1).</summary>
    public int? Count { get; set; }

    /// <summary>Events still to come before it holds.</summary>
    public int Remaining { get; set; }

    /// <summary>Whether it holds every API and media request now.</summary>
    public bool Holding { get; set; }

    /// <summary>Requests held since it began to hold.</summary>
    public int Held { get; set; }
}
