using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// While submissions wait for room on the account, polls this session's running tasks so that the moment
    /// one finishes, the next submission goes. Polls are timed by the shortest run seen so far (tasks of a
    /// batch take about as long as each other): the first at 0.9 of it, then every twentieth of it (at least
    /// 20 ms), growing 1.5x up to 5 s, so a finish is seen within about a tenth of a run; before any run was seen,
    /// after 1 s and then every 0.5 s. Polling does not count against the account's limit. Between looks it sleeps,
    /// and plans again the moment a request queues or a task is accepted.
    /// </summary>
    internal sealed class RunningTaskWatcher
    {
        public static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);

        /// <summary>The shortest step between two looks at a task, however short its run.</summary>
        public static readonly TimeSpan MinStep = TimeSpan.FromMilliseconds(20);
        private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(5);
        private readonly AccountState _account;
        private readonly SubmissionCapacity _capacity;
        private readonly Func<string, CancellationToken, Task<AsyncResult>> _fetch;
        private readonly IClock _clock;
        private readonly IZAiLog _log;
        private readonly Dictionary<string, Schedule> _schedules = new Dictionary<string, Schedule>(StringComparer.Ordinal);

        public RunningTaskWatcher(AccountState account, Func<string, CancellationToken, Task<AsyncResult>> fetch, IZAiLog log, IClock? clock = null)
        {
            _account = account;
            _capacity = account.Capacity;
            _fetch = fetch;
            _log = log;
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>
        /// Runs until cancelled. A stop while it sleeps (at the end of every Start command) ends it quietly, without an
        /// exception; a stop during a look ends it with OperationCanceledException, and it throws nothing else.
        /// </summary>
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var changed = _capacity.NextChange();
                var wait = Idle;
                if (_capacity.Waiting > 0)
                {
                    wait = await PollDueAsync(cancellationToken).ConfigureAwait(false);
                }
                // Until the next look is due, or a change (a request queues, a task is accepted) asks for a new plan.
                using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(changed, _clock.Delay(wait, sleep.Token)).ConfigureAwait(false);
                sleep.Cancel();
            }
        }

        /// <summary>Polls the running tasks whose time has come; returns the time until the next one is due.</summary>
        internal async Task<TimeSpan> PollDueAsync(CancellationToken cancellationToken)
        {
            var now = _clock.Elapsed;
            var next = MaxInterval;
            var running = _capacity.RunningTasks();
            var fastest = _capacity.FastestRun;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var task in running)
            {
                seen.Add(task.Key);
                if (!_schedules.TryGetValue(task.Key, out var schedule))
                {
                    var first = fastest.HasValue ? TimeSpan.FromTicks((long)(fastest.Value.Ticks * 0.9)) : TimeSpan.FromSeconds(1);
                    var step = fastest.HasValue ? TimeSpan.FromTicks(Math.Max(MinStep.Ticks, fastest.Value.Ticks / 20)) : TimeSpan.FromSeconds(0.5);
                    _schedules[task.Key] = schedule = new Schedule(task.Value + first, step);
                }
                if (schedule.Due <= now)
                {
                    // A wait in the session that polls this task is asked to poll now: it sees the finish first and
                    // reports it. Otherwise the watcher polls the task itself.
                    if (!_account.TryNudge(task.Key)) await PollAsync(task.Key, cancellationToken).ConfigureAwait(false);
                    schedule.Advance(_clock.Elapsed);
                }
                var until = schedule.Due - _clock.Elapsed;
                if (until < next) next = until;
            }
            foreach (var id in new List<string>(_schedules.Keys))
            {
                if (!seen.Contains(id)) _schedules.Remove(id);
            }
            return next < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : next;
        }

        private async Task PollAsync(string taskId, CancellationToken cancellationToken)
        {
            try
            {
                // The client reports a finished task to the account's capacity itself.
                await _fetch(taskId, cancellationToken).ConfigureAwait(false);
            }
            catch (ZAiApiException error) when (error.Reason == ZAiErrorReason.NotFound)
            {
                // A task the API no longer knows holds no room.
                _capacity.Finished(taskId);
            }
            catch (ZAiApiException error)
            {
                _log.Verbose($"Checking whether task '{TaskIdPath.Shown(taskId)}' finished: {error.Message}");
            }
        }

        private sealed class Schedule
        {
            public Schedule(TimeSpan due, TimeSpan step)
            {
                Due = due;
                Step = step;
            }

            public TimeSpan Due { get; set; }

            public TimeSpan Step { get; set; }

            /// <summary>The next look after <paramref name="now"/>, each interval 1.5 times the last, up to the cap.</summary>
            public void Advance(TimeSpan now)
            {
                Due = now + Step;
                Step = TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, (long)(Step.Ticks * 1.5)));
            }
        }
    }
}
