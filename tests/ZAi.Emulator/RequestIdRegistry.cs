using System.Collections.Concurrent;

namespace ZAi.Emulator;

/// <summary>
/// The request_id of every accepted submission (both endpoints) and the task it created, per account (key),
/// so that a request_id repeated on the same account is refused with business code 1231 like the real API
/// does, while another account may use the same request_id for a task of its own (thread-safe).
/// </summary>
internal sealed class RequestIdRegistry
{
    private readonly ConcurrentDictionary<string, string> _taskIds = new(StringComparer.Ordinal);

    /// <summary>Records a request_id for a task; false, with nothing changed, when it was already recorded.</summary>
    public bool TryAdd(string? account, string requestId, string taskId) => _taskIds.TryAdd(Key(account, requestId), taskId);

    /// <summary>Forgets a request_id (used when creating its task failed after all).</summary>
    public void Remove(string? account, string requestId) => _taskIds.TryRemove(Key(account, requestId), out _);

    private static string Key(string? account, string requestId) => (account ?? string.Empty) + "\n" + requestId;

    public void Clear() => _taskIds.Clear();
}
