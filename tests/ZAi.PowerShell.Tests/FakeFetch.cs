using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Tests;

/// <summary>One call of <see cref="FakeFetch.FetchAsync"/>; it completes only when the test (or a responder) answers it or its token is cancelled.</summary>
internal sealed class PendingFetch
{
    private readonly TaskCompletionSource<AsyncResult> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingFetch(string id, int number, int poll, CancellationToken token)
    {
        Id = id;
        Number = number;
        Poll = poll;
        Token = token;
        CancelledAtStart = token.IsCancellationRequested;
    }

    public string Id { get; }

    /// <summary>1 for the first call of any task, 2 for the second ...</summary>
    public int Number { get; }

    /// <summary>1 for the first call for this task id, 2 for the second ...</summary>
    public int Poll { get; }

    public CancellationToken Token { get; }

    /// <summary>True when the waiter called the fetch with a token that was already cancelled.</summary>
    public bool CancelledAtStart { get; }

    public Task<AsyncResult> Task => _answer.Task;

    public bool IsAnswered => _answer.Task.IsCompleted;

    public void Answer(string status) => _answer.TrySetResult(TestResults.Status(Id, status));

    public void Fail(Exception error) => _answer.TrySetException(error);

    public void Cancel() => _answer.TrySetCanceled(Token);
}

/// <summary>
/// A fetch function for <c>TaskWaiter</c> with no network. Each call is handed to the optional responder, which may
/// answer it at once; calls left unanswered wait for the test, which takes them with <see cref="NextAsync()"/> (any
/// task) or <see cref="NextAsync(string)"/> (one task). A test uses one of the two. Cancelling the token a call was
/// given cancels it, as a real HTTP call would. Counts calls and the most that were in flight at once.
/// </summary>
internal sealed class FakeFetch
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    private readonly Action<PendingFetch>? _responder;
    private readonly Channel<PendingFetch> _unanswered = Channel.CreateUnbounded<PendingFetch>();
    private readonly ConcurrentDictionary<string, Channel<PendingFetch>> _unansweredById = new();
    private readonly ConcurrentDictionary<string, int> _pollsById = new();
    private readonly ConcurrentQueue<PendingFetch> _all = new();
    private int _started;
    private int _inFlight;
    private int _maxInFlight;

    public FakeFetch(Action<PendingFetch>? responder = null)
    {
        _responder = responder;
    }

    public int Started => Volatile.Read(ref _started);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<PendingFetch> All => _all.ToArray();

    public int CallsFor(string id) => _pollsById.TryGetValue(id, out var polls) ? polls : 0;

    public async Task<AsyncResult> FetchAsync(string id, CancellationToken token)
    {
        var number = Interlocked.Increment(ref _started);
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            int max;
            while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
            {
            }
            var call = new PendingFetch(id, number, _pollsById.AddOrUpdate(id, 1, (_, n) => n + 1), token);
            _all.Enqueue(call);
            using var registration = token.Register(call.Cancel);
            _responder?.Invoke(call);
            if (!call.IsAnswered)
            {
                _unanswered.Writer.TryWrite(call);
                ById(id).Writer.TryWrite(call);
            }
            return await call.Task.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The next unanswered call of any task.</summary>
    public Task<PendingFetch> NextAsync() => _unanswered.Reader.ReadAsync().AsTask().WaitAsync(Guard);

    /// <summary>The next unanswered call for <paramref name="id"/>.</summary>
    public Task<PendingFetch> NextAsync(string id) => ById(id).Reader.ReadAsync().AsTask().WaitAsync(Guard);

    private Channel<PendingFetch> ById(string id) => _unansweredById.GetOrAdd(id, _ => Channel.CreateUnbounded<PendingFetch>());
}
