using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// An account's room for tasks in flight, learned rather than read (the API does not say the limit).
    /// Submissions wait here, first come first served, while the account is full by the estimate, and go
    /// the moment one of our tasks finishes. The estimate comes from our own running tasks and from 1302
    /// answers: a refusal sets it to the number of our tasks running (multiplicative decrease); after
    /// <see cref="ProbeEvery"/> accepted submissions at the estimate it is raised by one to find room freed
    /// elsewhere (additive increase). A refusal while none of our tasks runs (another client fills the
    /// account) backs off 1, 2, 4 ... 60 s. Until the first answer (accepted or refused) only one submission
    /// is sent (a slow start), so a full account refuses one request, not a throttle's worth. A request that
    /// waits its queue time (an argument of each acquisition) without the queue moving (no task of ours
    /// finished, no submission accepted) gives up; whatever ends a wait, its room is never kept.
    /// </summary>
    internal sealed class SubmissionCapacity
    {
        public const int ProbeEvery = 4;
        public static readonly TimeSpan MaxBlindBackoff = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan MaxWake = TimeSpan.FromDays(1);

        /// <summary>A task not seen finishing this long after it was submitted is forgotten (off-peak tasks may run 48 h).</summary>
        public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(49);

        /// <summary>At most this many running tasks are remembered; the oldest is forgotten first.</summary>
        public const int MaxTracked = 10000;

        private readonly object _lock = new object();
        private readonly IClock _clock;
        private readonly Dictionary<string, TimeSpan> _running = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        private readonly LinkedList<Waiter> _waiters = new LinkedList<Waiter>();
        private int _sending;
        private int? _limit;
        private int _acceptedAtLimit;
        private int _blindRefusals;
        private TimeSpan _notBefore;
        private TimeSpan _lastProgress;
        private TimeSpan? _fastestRun;
        private long _lastNumber;
        private TaskCompletionSource<bool> _changed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <param name="defaultQueueTimeout">The queue time of acquisitions that give none.</param>
        public SubmissionCapacity(IClock? clock = null, TimeSpan? defaultQueueTimeout = null)
        {
            _clock = clock ?? SystemClock.Instance;
            _lastProgress = _clock.Elapsed;
            DefaultQueueTimeout = defaultQueueTimeout ?? TimeSpan.FromHours(1);
        }

        /// <summary>How long a request may wait while the queue does not move, when its acquisition gives no time.</summary>
        public TimeSpan DefaultQueueTimeout { get; }

        /// <summary>The estimated number of tasks the account allows in flight; null until a 1302 was seen.</summary>
        public int? Limit { get { lock (_lock) return _limit; } }

        /// <summary>Our tasks submitted and not seen finished.</summary>
        public int Running { get { lock (_lock) return _running.Count; } }

        /// <summary>Requests waiting for room.</summary>
        public int Waiting { get { lock (_lock) return _waiters.Count; } }

        /// <summary>Submissions sent and not answered yet.</summary>
        public int Sending { get { lock (_lock) return _sending; } }

        public int RefusedCount { get; private set; }

        public int AcceptedCount { get; private set; }

        /// <summary>The shortest run seen from submission to finish, to time the next polls; null until one finished.</summary>
        public TimeSpan? FastestRun { get { lock (_lock) return _fastestRun; } }

        /// <summary>
        /// Completes at the next change a watcher of the running tasks must see at once, not at its next look: a
        /// request starts waiting for room, or a submission is accepted (a task to look at). Take it before looking at
        /// <see cref="Waiting"/> and <see cref="RunningTasks"/>, so a change in between is not missed.
        /// </summary>
        public Task NextChange()
        {
            lock (_lock) return _changed.Task;
        }

        /// <summary>The ids and submission times of our running tasks.</summary>
        public IReadOnlyList<KeyValuePair<string, TimeSpan>> RunningTasks()
        {
            lock (_lock) return new List<KeyValuePair<string, TimeSpan>>(_running);
        }

        /// <summary>
        /// Waits for room to send one submission. A request asks with its <paramref name="place"/>: the first time it
        /// asks, the place takes the next number in line and the time; a request refused with 1302 asks again with the
        /// same place, so it goes back to where it stood (ahead of every request that asked after it, behind those that
        /// asked before it), and its queue time still counts from when it first queued.
        /// </summary>
        /// <param name="place">The request's place in line; null for a request that asks once.</param>
        /// <param name="queueTimeout">How long to wait while the queue does not move; <see cref="Timeout.InfiniteTimeSpan"/> waits without a limit; null takes <see cref="DefaultQueueTimeout"/>.</param>
        /// <exception cref="ZAiApiException">QueueTimeout: the queue did not move for the queue time.</exception>
        public async Task AcquireAsync(CancellationToken cancellationToken, QueuePlace? place = null, TimeSpan? queueTimeout = null)
        {
            var limit = queueTimeout ?? DefaultQueueTimeout;
            var unlimited = limit == Timeout.InfiniteTimeSpan;
            place ??= new QueuePlace();
            Waiter waiter;
            lock (_lock)
            {
                if (!place.Taken)
                {
                    place.Take(++_lastNumber, _clock.Elapsed);
                }
                waiter = new Waiter(place);
                if (FirstInLine(place) && CanSend())
                {
                    _sending++;
                    return;
                }
                waiter.Node = Enqueue(waiter);
                Changed();
            }
            try
            {
                while (true)
                {
                    TimeSpan wake;
                    lock (_lock)
                    {
                        Grant();
                        if (waiter.Granted.Task.IsCompleted) return;
                        var now = _clock.Elapsed;
                        wake = Timeout.InfiniteTimeSpan;
                        if (!unlimited)
                        {
                            var deadline = Max(waiter.Place.Since, _lastProgress) + limit;
                            if (now >= deadline) throw QueueTimedOut(limit);
                            wake = deadline - now;
                        }
                        if (_notBefore > now && (wake == Timeout.InfiniteTimeSpan || _notBefore - now < wake)) wake = _notBefore - now;
                        // A timer cannot run for years (Task.Delay's limit is about 24 days): look again each day instead.
                        if (wake != Timeout.InfiniteTimeSpan && wake > MaxWake) wake = MaxWake;
                    }
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var delay = wake == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, tick.Token) : _clock.Delay(wake, tick.Token);
                    await Task.WhenAny(waiter.Granted.Task, delay).ConfigureAwait(false);
                    tick.Cancel();
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            catch
            {
                // Whatever ends the wait (a stop, the queue time, a fault), the waiter leaves the line and room granted to it is handed on.
                // The grant and the removal happen under one lock, so a grant can never reach a waiter that has gone.
                lock (_lock)
                {
                    if (waiter.Granted.Task.IsCompleted)
                    {
                        // Granted as the stop came: hand the room on.
                        _sending--;
                        Grant();
                    }
                    else if (waiter.Node!.List != null)
                    {
                        _waiters.Remove(waiter.Node);
                    }
                }
                throw;
            }
        }

        /// <summary>The submission was accepted: <paramref name="taskId"/> now runs on the account.</summary>
        public void Accepted(string taskId)
        {
            lock (_lock)
            {
                _sending--;
                AcceptedCount++;
                _running[taskId] = _clock.Elapsed;
                Prune();
                Changed();
                _lastProgress = _clock.Elapsed;
                _blindRefusals = 0;
                if (_limit.HasValue)
                {
                    if (_running.Count > _limit.Value) _limit = _running.Count;
                    if (_running.Count >= _limit.Value && ++_acceptedAtLimit >= ProbeEvery)
                    {
                        _acceptedAtLimit = 0;
                        _limit++;
                    }
                }
                Grant();
            }
        }

        /// <summary>A task of an earlier run (from a journal) that may still run: it holds room until seen finished.</summary>
        public void Adopt(string taskId)
        {
            lock (_lock)
            {
                if (!_running.ContainsKey(taskId)) _running[taskId] = _clock.Elapsed;
                Prune();
            }
        }

        /// <summary>The API refused the submission with 1302: the account is full now.</summary>
        public void Refused()
        {
            lock (_lock)
            {
                _sending--;
                RefusedCount++;
                _acceptedAtLimit = 0;
                if (_running.Count > 0)
                {
                    _limit = _running.Count;
                }
                else
                {
                    // None of ours runs: another client holds the room, and no finish of ours will free it.
                    var backoff = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, _blindRefusals++), MaxBlindBackoff.TotalSeconds));
                    _notBefore = _clock.Elapsed + backoff;
                    _limit = null;
                }
                Grant();
            }
        }

        /// <summary>The submission failed for another reason: its room is free again.</summary>
        public void Abandoned()
        {
            lock (_lock)
            {
                _sending--;
                Grant();
            }
        }

        /// <summary>One of our tasks was seen finished (SUCCESS or FAIL): its room is free.</summary>
        /// <returns>False when the task was not one of ours in flight.</returns>
        public bool Finished(string taskId)
        {
            lock (_lock)
            {
                if (!_running.TryGetValue(taskId, out var since)) return false;
                _running.Remove(taskId);
                var run = _clock.Elapsed - since;
                if (!_fastestRun.HasValue || run < _fastestRun.Value) _fastestRun = run;
                _lastProgress = _clock.Elapsed;
                Grant();
                return true;
            }
        }

        /// <summary>
        /// Forgets running tasks nobody saw finish for longer than any task runs, and the oldest beyond
        /// <see cref="MaxTracked"/>: they would hold room for ever, inflate the limit estimate and be polled by every
        /// watcher. Called under the lock.
        /// </summary>
        private void Prune()
        {
            var now = _clock.Elapsed;
            List<string>? stale = null;
            foreach (var task in _running)
            {
                if (now - task.Value > ForgetAfter) (stale ??= new List<string>()).Add(task.Key);
            }
            if (stale != null) foreach (var id in stale) _running.Remove(id);
            while (_running.Count > MaxTracked)
            {
                var oldest = default(KeyValuePair<string, TimeSpan>);
                var first = true;
                foreach (var task in _running)
                {
                    if (first || task.Value < oldest.Value) oldest = task;
                    first = false;
                }
                _running.Remove(oldest.Key);
            }
            if (stale != null) Grant();
        }

        /// <summary>Completes the current change signal and starts the next. Called under the lock.</summary>
        private void Changed()
        {
            _changed.TrySetResult(true);
            _changed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        private bool CanSend()
        {
            if (_clock.Elapsed < _notBefore) return false;
            // Slow start: one request finds out whether the account has room before the others follow.
            if (AcceptedCount == 0 && RefusedCount == 0 && _sending > 0) return false;
            return !_limit.HasValue || _running.Count + _sending < _limit.Value;
        }

        /// <summary>Lets waiters go, first in line first, while there is room. Called under the lock.</summary>
        private void Grant()
        {
            while (_waiters.First != null && CanSend())
            {
                var waiter = _waiters.First.Value;
                _waiters.RemoveFirst();
                _sending++;
                waiter.Granted.TrySetResult(true);
            }
        }

        private ZAiApiException QueueTimedOut(TimeSpan queueTimeout)
        {
            var room = _limit.HasValue ? $"the account allows about {_limit.Value} task(s) in flight" : "the API refused submissions for its concurrency limit (1302)";
            return new ZAiApiException(
                ZAiErrorReason.QueueTimeout,
                $"Not submitted: waited {queueTimeout.TotalSeconds:0} s (-QueueTimeoutSec) for room on the account and none freed; {room} and {_running.Count} of this session's tasks are still running. "
                + "Nothing was created for this request; run it again later, or raise -QueueTimeoutSec.");
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        /// <summary>No one waits ahead of this place. Called under the lock.</summary>
        private bool FirstInLine(QueuePlace place) => _waiters.First == null || _waiters.First.Value.Place.Number > place.Number;

        /// <summary>Puts the waiter in line by its number: behind those that asked before it. Called under the lock.</summary>
        private LinkedListNode<Waiter> Enqueue(Waiter waiter)
        {
            for (var node = _waiters.Last; node != null; node = node.Previous)
            {
                if (node.Value.Place.Number < waiter.Place.Number) return _waiters.AddAfter(node, waiter);
            }
            return _waiters.AddFirst(waiter);
        }

        private sealed class Waiter
        {
            public Waiter(QueuePlace place)
            {
                Place = place;
            }

            public QueuePlace Place { get; }

            public LinkedListNode<Waiter>? Node { get; set; }

            public TaskCompletionSource<bool> Granted { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
