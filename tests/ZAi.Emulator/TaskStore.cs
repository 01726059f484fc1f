using System.Collections.Concurrent;

namespace ZAi.Emulator;

/// <summary>All emulated tasks by id (thread-safe).</summary>
internal sealed class TaskStore
{
    private readonly ConcurrentDictionary<string, EmulatedTask> _tasks = new(StringComparer.Ordinal);

    /// <summary>Adds a task, replacing any task with the same id.</summary>
    public void Put(EmulatedTask task) => _tasks[task.Id] = task;

    public EmulatedTask? Find(string id) => _tasks.TryGetValue(id, out EmulatedTask? task) ? task : null;

    public IReadOnlyList<TaskInfo> SnapshotAll() =>
        _tasks.Values.OrderBy(t => t.CreatedAt).Select(t => t.Snapshot()).ToList();

    public void Clear() => _tasks.Clear();
}
