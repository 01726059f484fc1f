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
    /// batch take about as long as each other), else start after 1 s; then every 0.25 s or a tenth of that run,
    /// growing 1.5x up to 5 s. Polling does not count against the account's limit.
    /// </summary>
    internal sealed class RunningTaskWatcher
    {
        public static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(5);
        private readonly SubmissionCapacity _capacity;
        private readonly Func<string, CancellationToken, Task<AsyncResult>> _fetch;
        private readonly IClock _clock;
        private readonly IZAiLog _log;
        private readonly Dictionary<string, Schedule> _schedules = new Dictionary<string, Schedule>(StringComparer.Ordinal);

        public RunningTaskWatcher(SubmissionCapacity capacity, Func<string, CancellationToken, Task<AsyncResult>> fetch, IZAiLog log, IClock? clock = null)
        {
            _capacity = capacity;
            _fetch = fetch;
            _log = log;
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>Runs until cancelled; never throws but OperationCanceledException.</summary>
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var wait = Idle;
                if (_capacity.Waiting > 0)
                {
                    wait = await PollDueAsync(cancellationToken).ConfigureAwait(false);
                }
                await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
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
                    var step = fastest.HasValue ? TimeSpan.FromTicks(Math.Max(Idle.Ticks, fastest.Value.Ticks / 10)) : TimeSpan.FromSeconds(0.5);
                    _schedules[task.Key] = schedule = new Schedule(task.Value + first, step);
                }
                if (schedule.Due <= now && AccountCapacities.TryNudge(task.Key))
                {
                    // A wait in the session polls this task: it polls now, sees the finish first and reports it.
                    schedule.Due = _clock.Elapsed + schedule.Step;
                    schedule.Step = TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, (long)(schedule.Step.Ticks * 1.5)));
                }
                else if (schedule.Due <= now)
                {
                    try
                    {
                        // The client reports a finished task to the account's capacity itself.
                        await _fetch(task.Key, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ZAiApiException error) when (error.Reason == ZAiErrorReason.NotFound)
                    {
                        // A task the API no longer knows holds no room.
                        _capacity.Finished(task.Key);
                    }
                    catch (ZAiApiException error)
                    {
                        _log.Verbose($"Checking whether task '{TaskIdPath.Shown(task.Key)}' finished: {error.Message}");
                    }
                    schedule.Due = _clock.Elapsed + schedule.Step;
                    schedule.Step = TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, (long)(schedule.Step.Ticks * 1.5)));
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

        private sealed class Schedule
        {
            public Schedule(TimeSpan due, TimeSpan step)
            {
                Due = due;
                Step = step;
            }

            public TimeSpan Due { get; set; }

            public TimeSpan Step { get; set; }
        }
    }
}
