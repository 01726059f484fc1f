namespace ZAi.Emulator;

/// <summary>A thread-safe ring buffer of the newest requests.</summary>
internal sealed class RequestLog
{
    public const int Capacity = 50_000;

    private readonly Lock _gate = new();
    private readonly RequestLogEntry?[] _entries = new RequestLogEntry?[Capacity];
    private int _next;
    private int _count;
    private long _sequence;
    private long _arrivals;

    /// <summary>The next <see cref="RequestLogEntry.ArrivalSequence"/>, taken as a request arrives.</summary>
    public long Arrive() => Interlocked.Increment(ref _arrivals);

    /// <summary>Appends <paramref name="entry"/> and gives it the next <see cref="RequestLogEntry.Sequence"/>.</summary>
    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            entry.Sequence = ++_sequence;
            _entries[_next] = entry;
            _next = (_next + 1) % Capacity;
            if (_count < Capacity) _count++;
        }
    }

    /// <summary>Entries oldest first, optionally filtered by task id (exact) and raw target substring.</summary>
    public List<RequestLogEntry> Snapshot(string? taskId = null, string? pathContains = null)
    {
        RequestLogEntry[] copy;
        lock (_gate)
        {
            copy = new RequestLogEntry[_count];
            int start = (_next - _count + Capacity) % Capacity;
            for (int i = 0; i < _count; i++)
            {
                copy[i] = _entries[(start + i) % Capacity]!;
            }
        }
        var result = new List<RequestLogEntry>(copy.Length);
        foreach (RequestLogEntry entry in copy)
        {
            if (taskId is not null && !string.Equals(entry.TaskId, taskId, StringComparison.Ordinal)) continue;
            if (!string.IsNullOrEmpty(pathContains) && !entry.RawTarget.Contains(pathContains, StringComparison.Ordinal)) continue;
            result.Add(entry);
        }
        return result;
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_entries);
            _next = 0;
            _count = 0;
        }
    }
}
