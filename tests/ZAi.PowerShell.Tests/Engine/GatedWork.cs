namespace ZAi.PowerShell.Tests.Engine;

/// <summary>
/// An item function whose calls block until the test releases them: counts calls, tracks how many run at
/// once, and signals each start so a test can act at a known point without sleeping.
/// </summary>
internal sealed class GatedWork
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly object _lock = new();
    private readonly Dictionary<int, TaskCompletionSource<int>> _gates = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _startWaiters = new();
    private int _inFlight;

    public int Calls { get; private set; }

    public int MaxInFlight { get; private set; }

    public List<int> Started { get; } = new();

    /// <summary>When true, a call ignores its cancellation token (work that does not cooperate).</summary>
    public bool IgnoreCancellation { get; set; }

    public async Task<int> RunAsync(int item, CancellationToken stop)
    {
        TaskCompletionSource<int> gate;
        lock (_lock)
        {
            Calls++;
            Started.Add(item);
            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            gate = Gate(item);
            foreach (var waiter in _startWaiters.Where(w => Started.Count >= w.Count).ToList())
            {
                _startWaiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
        try
        {
            return IgnoreCancellation ? await gate.Task : await gate.Task.WaitAsync(stop);
        }
        finally
        {
            lock (_lock) _inFlight--;
        }
    }

    public void Release(int item) { lock (_lock) Gate(item).TrySetResult(item * 10); }

    public void Fail(int item, Exception error) { lock (_lock) Gate(item).TrySetException(error); }

    /// <summary>Completes once <paramref name="count"/> calls have started; throws after <see cref="Guard"/>.</summary>
    public Task WhenStarted(int count)
    {
        lock (_lock)
        {
            if (Started.Count >= count) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _startWaiters.Add((count, reached));
            return reached.Task.WaitAsync(Guard);
        }
    }

    private TaskCompletionSource<int> Gate(int item)
    {
        if (!_gates.TryGetValue(item, out var gate))
        {
            _gates[item] = gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return gate;
    }
}
