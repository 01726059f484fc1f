using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>
    /// Waits for many tasks at once: each task polls on its own schedule, at most ThrottleLimit requests are in
    /// flight, rate limits slow every task down, and each task is reported the moment it finishes.
    /// </summary>
    internal sealed class TaskWaiter
    {
        private static int _seed = Environment.TickCount;
        private readonly Func<string, CancellationToken, Task<AsyncResult>> _fetch;
        private readonly WaitOptions _options;
        private readonly PollSchedule _schedule;
        private readonly RateLimitGate _gate;
        private readonly IWaitObserver _observer;
        private readonly Stopwatch _clock = new Stopwatch();
        private WaitedTask[] _tasks = Array.Empty<WaitedTask>();
        private int _anyFinished;

        public TaskWaiter(
            Func<string, CancellationToken, Task<AsyncResult>> fetch,
            WaitOptions options,
            RateLimitGate gate,
            IWaitObserver observer)
        {
            _fetch = fetch;
            _options = options;
            _schedule = new PollSchedule(options.FirstInterval, options.MaxInterval);
            _gate = gate;
            _observer = observer;
        }

        /// <summary>Completes when every task finished, failed, timed out, or (with Any) when one finished.</summary>
        /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled (Ctrl+C).</exception>
        public async Task RunAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
        {
            _tasks = ids.Select((id, index) => new WaitedTask(id, index)).ToArray();
            _clock.Start();
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_options.Timeout.HasValue) wait.CancelAfter(_options.Timeout.Value);
            using var throttle = new SemaphoreSlim(_options.ThrottleLimit, _options.ThrottleLimit);

            await Task.WhenAll(_tasks.Select(task => PollUntilDoneAsync(task, throttle, wait, cancellationToken))).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        public WaitProgress Snapshot()
        {
            var progress = new WaitProgress { Total = _tasks.Length, Elapsed = _clock.Elapsed };
            foreach (var task in _tasks)
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
            return progress;
        }

        private async Task PollUntilDoneAsync(WaitedTask task, SemaphoreSlim throttle, CancellationTokenSource wait, CancellationToken stop)
        {
            // Yield first so that starting hundreds of loops does not run their first polls inline.
            await Task.Yield();
            var random = new Random(Interlocked.Increment(ref _seed));
            var nextPoll = TimeSpan.Zero;
            try
            {
                while (true)
                {
                    await WaitForTurnAsync(nextPoll, wait.Token).ConfigureAwait(false);
                    await TakeSlotAsync(throttle, wait.Token).ConfigureAwait(false);
                    AsyncResult result;
                    try
                    {
                        result = await _fetch(task.Id, wait.Token).ConfigureAwait(false);
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
                        return;
                    }
                    finally
                    {
                        throttle.Release();
                    }

                    _gate.OnSuccess();
                    var previous = task.Last?.TaskStatus;
                    task.Polls++;
                    task.Last = result;
                    if (task.Polls == 1 || !string.Equals(previous, result.TaskStatus, StringComparison.Ordinal))
                    {
                        _observer.StatusChanged(task.Id, previous, result, _clock.Elapsed, task.Polls);
                    }

                    if (result.IsTerminal)
                    {
                        if (_options.Any && Interlocked.Exchange(ref _anyFinished, 1) == 1)
                        {
                            // Another task won -Any at the same moment: this one is not reported, and not running either.
                            task.State = WaitedTaskState.Abandoned;
                            return;
                        }
                        task.State = result.StatusValue == AsyncTaskStatus.Success ? WaitedTaskState.Succeeded : WaitedTaskState.Failed;
                        _observer.Finished(result);
                        if (_options.Any) wait.Cancel();
                        return;
                    }
                    nextPoll = NextPollAfter(task, random);
                }
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested && Volatile.Read(ref _anyFinished) == 0 && _options.Timeout.HasValue)
            {
                task.State = WaitedTaskState.TimedOut;
                _observer.TimedOut(task.Id, task.Last, _options.Timeout.Value);
            }
            catch (OperationCanceledException)
            {
                if (task.State == WaitedTaskState.Running) task.State = WaitedTaskState.Abandoned;
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
        private async Task TakeSlotAsync(SemaphoreSlim throttle, CancellationToken token)
        {
            while (true)
            {
                await throttle.WaitAsync(token).ConfigureAwait(false);
                if (_gate.Remaining(DateTime.UtcNow) <= TimeSpan.Zero && !token.IsCancellationRequested) return;
                throttle.Release();
                await _gate.WaitUntilOpenAsync(token).ConfigureAwait(false);
            }
        }

        /// <summary>Waits until the task's next poll time and until the rate-limit gate is open.</summary>
        private async Task WaitForTurnAsync(TimeSpan nextPoll, CancellationToken token)
        {
            while (true)
            {
                var untilPoll = nextPoll - _clock.Elapsed;
                var untilGate = _gate.Remaining(DateTime.UtcNow);
                var delay = untilPoll > untilGate ? untilPoll : untilGate;
                if (delay <= TimeSpan.Zero)
                {
                    token.ThrowIfCancellationRequested();
                    return;
                }
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
        }
    }
}
