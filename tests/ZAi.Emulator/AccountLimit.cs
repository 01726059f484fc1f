namespace ZAi.Emulator;

/// <summary>
/// The account's limit of tasks in flight, as the real API enforces it: a submission while that many of
/// the account's submitted tasks are still running is refused with HTTP 429 and business code 1302 and
/// creates nothing; it succeeds once one of them has finished (run time counts from submission).
/// Thread-safe: the check and the creation happen under one lock, so concurrent submissions never
/// exceed the limit.
/// </summary>
internal sealed class AccountLimit
{
    public const string Message = "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits";
    private readonly Lock _gate = new();
    private readonly List<EmulatedTask> _submitted = new();
    private int? _limit;
    private int _refused;
    private int _accepted;

    /// <summary>Tasks in flight allowed; null or 0 for no limit.</summary>
    public int? Limit
    {
        get { lock (_gate) return _limit; }
        set { lock (_gate) _limit = value is > 0 ? value : null; }
    }

    /// <summary>Submissions refused with 1302 since the last reset.</summary>
    public int Refused { get { lock (_gate) return _refused; } }

    /// <summary>Submissions that created a task since the last reset.</summary>
    public int Accepted { get { lock (_gate) return _accepted; } }

    /// <summary>The account's submitted tasks that have not finished.</summary>
    public int Running { get { lock (_gate) return CountRunning(); } }

    /// <summary>Creates the task when the account has room; null (and counted as refused) when it is full.</summary>
    public EmulatedTask? TryAdmit(Func<EmulatedTask> create)
    {
        lock (_gate)
        {
            if (_limit is int limit && CountRunning() >= limit)
            {
                _refused++;
                return null;
            }
            EmulatedTask task = create();
            _submitted.Add(task);
            _accepted++;
            return task;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _submitted.Clear();
            _limit = null;
            _refused = 0;
            _accepted = 0;
        }
    }

    private int CountRunning()
    {
        _submitted.RemoveAll(task => task.PeekStatus().Finished);
        return _submitted.Count;
    }
}
