using ZAi.PowerShell.Waiting;

namespace ZAi.PowerShell.Tests;

internal abstract record WaitEvent(string TaskId);

internal sealed record FinishedEvent(AsyncResult Result) : WaitEvent(Result.Id);

internal sealed record StatusChangedEvent(string Id, string? From, AsyncResult Result, TimeSpan Elapsed, int Polls) : WaitEvent(Id);

internal sealed record PollFailedEvent(string Id, Exception Error, bool KeepsWaiting) : WaitEvent(Id);

internal sealed record TimedOutEvent(string Id, AsyncResult? Last, TimeSpan Limit) : WaitEvent(Id);

/// <summary>Keeps every event of a wait in arrival order and lets a test await a condition on them.</summary>
internal sealed class RecordingWaitObserver : IWaitObserver
{
    private readonly object _lock = new();
    private readonly List<WaitEvent> _events = new();
    private readonly List<(Func<IReadOnlyList<WaitEvent>, bool> Condition, TaskCompletionSource Signal)> _waiters = new();

    public IReadOnlyList<WaitEvent> Events
    {
        get { lock (_lock) return _events.ToArray(); }
    }

    public IReadOnlyList<T> Of<T>() where T : WaitEvent => Events.OfType<T>().ToArray();

    public IReadOnlyList<WaitEvent> For(string taskId) => Events.Where(e => e.TaskId == taskId).ToArray();

    public void Finished(AsyncResult result) => Add(new FinishedEvent(result));

    public void StatusChanged(string taskId, string? from, AsyncResult result, TimeSpan elapsed, int polls) =>
        Add(new StatusChangedEvent(taskId, from, result, elapsed, polls));

    public void PollFailed(string taskId, Exception error, bool keepsWaiting) => Add(new PollFailedEvent(taskId, error, keepsWaiting));

    public void TimedOut(string taskId, AsyncResult? last, TimeSpan limit) => Add(new TimedOutEvent(taskId, last, limit));

    /// <summary>Completes once the events satisfy <paramref name="condition"/>; fails after <see cref="FakeFetch.Guard"/>.</summary>
    public Task WaitUntilAsync(Func<IReadOnlyList<WaitEvent>, bool> condition)
    {
        lock (_lock)
        {
            if (condition(_events)) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, signal));
            return signal.Task.WaitAsync(FakeFetch.Guard);
        }
    }

    public Task WaitForFinishedAsync(int count) => WaitUntilAsync(events => events.OfType<FinishedEvent>().Count() >= count);

    private void Add(WaitEvent e)
    {
        lock (_lock)
        {
            _events.Add(e);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_events))
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
