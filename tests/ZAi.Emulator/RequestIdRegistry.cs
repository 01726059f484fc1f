using System.Collections.Concurrent;

namespace ZAi.Emulator;

/// <summary>
/// The request_id of every accepted submission (both endpoints) and the task it created, so that a
/// repeated request_id is refused with business code 1231 like the real API does (thread-safe).
/// </summary>
internal sealed class RequestIdRegistry
{
    private readonly ConcurrentDictionary<string, string> _taskIds = new(StringComparer.Ordinal);

    /// <summary>Records a request_id for a task; false, with nothing changed, when it was already recorded.</summary>
    public bool TryAdd(string requestId, string taskId) => _taskIds.TryAdd(requestId, taskId);

    /// <summary>Forgets a request_id (used when creating its task failed after all).</summary>
    public void Remove(string requestId) => _taskIds.TryRemove(requestId, out _);

    public void Clear() => _taskIds.Clear();
}
