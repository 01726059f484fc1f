using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Timing;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>
    /// Waits for many tasks at once: each task polls on its own schedule from the moment it is added, at most
    /// ThrottleLimit requests are in flight across all of them, rate limits slow every task down, and each task
    /// is reported the moment it finishes. Tasks can be added while others are being polled.
    /// </summary>
    internal sealed class TaskWaiter : IDisposable
    {
        private static int _seed = Environment.TickCount;
        private readonly Func<string, CancellationToken, Task<AsyncResult>> _fetch;
        private readonly WaitOptions _options;
        private readonly PollSchedule _schedule;
        private readonly RateLimitGate _gate;
        private readonly IWaitObserver _observer;
        private readonly IClock _clock;
        private readonly TimeSpan _started;
        private readonly SemaphoreSlim _throttle;
        private readonly CancellationTokenSource _anyFinished = new CancellationTokenSource();
        private readonly object _lock = new object();
        // Tasks still waited for, in the order they came; an ended task leaves with its last result and is only counted,
        // so a wait of many tasks holds what is running, not every result it has written.
        private readonly LinkedList<WaitedTask> _waiting = new LinkedList<WaitedTask>();
        private readonly int[] _ended = new int[Enum.GetValues(typeof(WaitedTaskState)).Length];
        private int _total;
        private int _anyWinner;
        private readonly Submitting.AccountState? _account;

        public TaskWaiter(
            Func<string, CancellationToken, Task<AsyncResult>> fetch,
            WaitOptions options,
            RateLimitGate gate,
            IWaitObserver observer,
            IClock? clock = null,
            Submitting.AccountState? account = null)
        {
            _account = account;
            _fetch = fetch;
            _options = options;
            _schedule = new PollSchedule(options.FirstInterval, options.MaxInterval);
            _gate = gate;
            _observer = observer;
            _clock = clock ?? SystemClock.Instance;
            _started = _clock.Elapsed;
            _throttle = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
        }

        /// <summary>Completes when every task finished, failed, timed out, or (with Any) when one finished.</summary>
        /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled (Ctrl+C).</exception>
        public async Task RunAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
        {
            var all = ids.Select(id => WaitForAsync(id, cancellationToken)).ToArray();
            try
            {
                await Task.WhenAll(all).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Each task's outcome has gone to the observer.
            }
            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>
        /// Polls one task from now until it ends. Returns its SUCCESS or FAIL result; throws
        /// <see cref="ZAiTaskFailedException"/> when the time limit passes first, the error of a poll that cannot be
        /// retried, or OperationCanceledException when stopped or when another task won -Any.
        /// </summary>
        public async Task<AsyncResult> WaitForAsync(string id, CancellationToken stop)
        {
            WaitedTask task;
            lock (_lock)
            {
                task = new WaitedTask(id, _total++);
                task.Node = _waiting.AddLast(task);
            }
            // Yield first so that adding hundreds of tasks does not run their first polls inline.
            await Task.Yield();
            // Submitters waiting for room ask this wait to poll now instead of polling the task again.
            using var registration = _account?.WaitStarted(id, task.Nudge);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, _anyFinished.Token);
            using var limit = new CancellationTokenSource();
            if (_options.Timeout.HasValue) _ = CancelAfterAsync(limit, wait, _options.Timeout.Value);
            try
            {
                var result = await PollUntilDoneAsync(task, wait.Token).ConfigureAwait(false);
                return result;
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested && limit.IsCancellationRequested && Volatile.Read(ref _anyWinner) == 0)
            {
                task.State = WaitedTaskState.TimedOut;
                _observer.TimedOut(task.Id, task.Last, _options.Timeout!.Value);
                throw new ZAiTaskFailedException(
                    task.Id,
                    task.Last,
                    $"Task '{Client.TaskIdPath.Shown(task.Id)}' did not finish within {_options.Timeout.Value.TotalSeconds:0.#} s (-TimeoutSec); last status: {task.Last?.TaskStatus ?? "never read"}. Wait again with the same id to keep waiting.",
                    timedOut: true);
            }
            catch (OperationCanceledException)
            {
                if (task.State == WaitedTaskState.Running) task.State = WaitedTaskState.Abandoned;
                throw;
            }
            finally
            {
                limit.Cancel();
                Ended(task);
            }
        }

        /// <summary>The task's wait is over: it is counted by how it ended, and the waiter lets go of it and its last result.</summary>
        private void Ended(WaitedTask task)
        {
            lock (_lock)
            {
                if (task.Node is null) return;
                _waiting.Remove(task.Node);
                task.Node = null;
                // A wait that ended without an outcome (stopped) was not seen to finish: it counts as still running.
                _ended[(int)(task.State == WaitedTaskState.Running ? WaitedTaskState.Abandoned : task.State)]++;
            }
        }

        /// <summary>Like <see cref="WaitForAsync"/>, but a task that ended with FAIL is a <see cref="ZAiTaskFailedException"/>.</summary>
        public async Task<AsyncResult> WaitForSuccessAsync(string id, CancellationToken stop)
        {
            var result = await WaitForAsync(id, stop).ConfigureAwait(false);
            if (result.StatusValue != AsyncTaskStatus.Success) throw ZAiTaskFailedException.ForFailedResult(result);
            return result;
        }

        public WaitProgress Snapshot()
        {
            var progress = new WaitProgress { Elapsed = _clock.Elapsed - _started };
            lock (_lock)
            {
                progress.Total = _total;
                progress.Succeeded = _ended[(int)WaitedTaskState.Succeeded];
                progress.Failed = _ended[(int)WaitedTaskState.Failed];
                progress.Errors = _ended[(int)WaitedTaskState.Error];
                progress.TimedOut = _ended[(int)WaitedTaskState.TimedOut];
                progress.Running = _ended[(int)WaitedTaskState.Abandoned];
                foreach (var task in _waiting)
                {
                    switch (task.State)
                    {
                        case WaitedTaskState.Succeeded: progress.Succeeded++; break;
                        case WaitedTaskState.Failed: progress.Failed++; break;
                        case WaitedTaskState.Error: progress.Errors++; break;
                        case WaitedTaskState.TimedOut: progress.TimedOut++; break;
                        case WaitedTaskState.Abandoned: progress.Running++; break;   // -Any returned before they finished
                        case WaitedTaskState.Running:
                            progress.Running++;
                            if (progress.OldestRunningId is null)
                            {
                                progress.OldestRunningId = task.Id;
                                progress.OldestRunningStatus = task.Last?.TaskStatus;
                            }
                            break;
                    }
                }
            }
            return progress;
        }

        public void Dispose()
        {
            _anyFinished.Dispose();
            _throttle.Dispose();
        }

        /// <summary>Cancels the task's wait when its time limit passes, in the clock's time.</summary>
        private async Task CancelAfterAsync(CancellationTokenSource limit, CancellationTokenSource wait, TimeSpan after)
        {
            // Nearly every task ends before its limit and cancels the delay: looked at, not awaited, so that ending
            // throws nothing (awaiting it threw an exception per task waited).
            var delay = _clock.Delay(after, limit.Token);
            await Task.WhenAny(delay).ConfigureAwait(false);
            if (delay.Status != TaskStatus.RanToCompletion) return;
            limit.Cancel();
            try
            {
                wait.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The task ended at the same moment.
            }
        }

        private async Task<AsyncResult> PollUntilDoneAsync(WaitedTask task, CancellationToken token)
        {
            var random = new Random(Interlocked.Increment(ref _seed));
            var nextPoll = _clock.Elapsed;
            while (true)
            {
                await WaitForTurnAsync(task, nextPoll, token).ConfigureAwait(false);
                await TakeSlotAsync(token).ConfigureAwait(false);
                AsyncResult result;
                try
                {
                    result = await _fetch(task.Id, token).ConfigureAwait(false);
                }
                catch (ZAiApiException error) when (error.IsTransient)
                {
                    _observer.PollFailed(task.Id, error, keepsWaiting: true);
                    nextPoll = NextPollAfter(task, random);
                    continue;
                }
                catch (Exception error) when (!(error is OperationCanceledException))
                {
                    task.State = WaitedTaskState.Error;
                    _observer.PollFailed(task.Id, error, keepsWaiting: false);
                    throw;
                }
                finally
                {
                    _throttle.Release();
                }

                _gate.OnSuccess();
                var previous = task.Last?.TaskStatus;
                task.Polls++;
                task.Last = result;
                if (task.Polls == 1 || !string.Equals(previous, result.TaskStatus, StringComparison.Ordinal))
                {
                    _observer.StatusChanged(task.Id, previous, result, _clock.Elapsed - _started, task.Polls);
                }

                if (result.IsTerminal)
                {
                    if (_options.Any && Interlocked.Exchange(ref _anyWinner, 1) == 1)
                    {
                        // Another task won -Any at the same moment: this one is not reported, and not running either.
                        task.State = WaitedTaskState.Abandoned;
                        throw new OperationCanceledException();
                    }
                    task.State = result.StatusValue == AsyncTaskStatus.Success ? WaitedTaskState.Succeeded : WaitedTaskState.Failed;
                    _observer.Finished(result);
                    if (_options.Any) _anyFinished.Cancel();
                    return result;
                }
                nextPoll = NextPollAfter(task, random);
            }
        }

        private TimeSpan NextPollAfter(WaitedTask task, Random random)
        {
            var interval = _schedule.Next(Math.Max(task.Polls, 1), random.NextDouble());
            var slowdown = _gate.Slowdown;
            if (slowdown > 1) interval = TimeSpan.FromTicks((long)(interval.Ticks * slowdown));
            return _clock.Elapsed + interval;
        }

        /// <summary>
        /// Takes a throttle slot, then checks the gate and the token again: while this poll queued for a slot, a
        /// rate-limit answer may have closed the gate, or the wait may have been stopped.
        /// </summary>
        private async Task TakeSlotAsync(CancellationToken token)
        {
            while (true)
            {
                await _throttle.WaitAsync(token).ConfigureAwait(false);
                if (_gate.Remaining() <= TimeSpan.Zero && !token.IsCancellationRequested) return;
                _throttle.Release();
                await _gate.WaitUntilOpenAsync(token).ConfigureAwait(false);
            }
        }

        /// <summary>Waits until the task's next poll time (or a nudge) and until the rate-limit gate is open.</summary>
        private async Task WaitForTurnAsync(WaitedTask task, TimeSpan nextPoll, CancellationToken token)
        {
            while (true)
            {
                if (task.Nudged.IsCompleted) nextPoll = _clock.Elapsed;
                var untilPoll = nextPoll - _clock.Elapsed;
                var untilGate = _gate.Remaining();
                var delay = untilPoll > untilGate ? untilPoll : untilGate;
                if (delay <= TimeSpan.Zero)
                {
                    token.ThrowIfCancellationRequested();
                    task.ClearNudge();
                    return;
                }
                if (untilPoll <= untilGate)
                {
                    await _clock.Delay(delay, token).ConfigureAwait(false);
                    continue;
                }
                // Waiting for the next poll time: a nudge (a submitter saw room is needed) polls sooner.
                using var sleep = CancellationTokenSource.CreateLinkedTokenSource(token);
                await Task.WhenAny(_clock.Delay(delay, sleep.Token), task.Nudged).ConfigureAwait(false);
                sleep.Cancel();
                token.ThrowIfCancellationRequested();
            }
        }
    }
}
