using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Waiting;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Wait-ZAiAsyncResult: polls many tasks at once and writes each result the moment its task finishes,
    /// in completion order. FAIL tasks and timeouts are non-terminating errors.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "ZAiAsyncResult")]
    [OutputType(typeof(AsyncResult))]
    public sealed class WaitZAiAsyncResultCommand : TaskIdCmdlet
    {
        private const int ProgressActivityId = 0x2A1;
        private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);

        private readonly List<string> _ids = new List<string>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Overall limit in seconds; 0 waits without a limit. Default: 1800 (30 minutes).</summary>
        [Parameter]
        [ValidateRange(0, WaitOptions.MaxTimeoutSec)]
        public int TimeoutSec { get; set; } = (int)WaitOptions.DefaultTimeout.TotalSeconds;

        /// <summary>Seconds between the first and second poll of a task; later intervals grow 1.5x up to -MaxPollIntervalSec. Default: 5.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double PollIntervalSec { get; set; } = WaitOptions.DefaultFirstInterval.TotalSeconds;

        /// <summary>The longest interval between two polls of a task. Default: 30.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double MaxPollIntervalSec { get; set; } = WaitOptions.DefaultMaxInterval.TotalSeconds;

        /// <summary>How many poll requests may be in flight at once. Default: 10.</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int ThrottleLimit { get; set; } = WaitOptions.DefaultThrottleLimit;

        /// <summary>Return as soon as any one task reaches SUCCESS or FAIL.</summary>
        [Parameter]
        public SwitchParameter Any { get; set; }

        protected override void BeginProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxPollIntervalSec))
                && MyInvocation.BoundParameters.ContainsKey(nameof(PollIntervalSec))
                && MaxPollIntervalSec < PollIntervalSec)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(
                    "ZAiInvalidPollInterval",
                    $"-MaxPollIntervalSec ({MaxPollIntervalSec}) is less than -PollIntervalSec ({PollIntervalSec}).",
                    null));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var id in ValidIds())
            {
                if (_seen.Add(id))
                {
                    _ids.Add(id);
                }
                else
                {
                    WriteVerbose($"Task '{TaskIdPath.Shown(id)}' is already in the list; it is polled once.");
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_ids.Count == 0) return;

            var gate = new RateLimitGate();
            var sender = CreateSender(error =>
            {
                if (error.Reason == ZAiErrorReason.RateLimited) gate.OnRateLimited(error.RetryAfter, DateTime.UtcNow);
            });
            var client = new AsyncResultClient(sender);
            var options = new WaitOptions
            {
                FirstInterval = TimeSpan.FromSeconds(PollIntervalSec),
                MaxInterval = TimeSpan.FromSeconds(Math.Max(MaxPollIntervalSec, PollIntervalSec)),
                Timeout = TimeoutSec == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(TimeoutSec),
                ThrottleLimit = ThrottleLimit,
                Any = Any,
            };
            var waiter = new TaskWaiter(client.GetAsync, options, gate, new WaitObserver(this, Queue));
            WriteVerbose($"Waiting for {_ids.Count} task(s): first interval {options.FirstInterval.TotalSeconds:0.##} s, at most {options.MaxInterval.TotalSeconds:0.##} s, "
                + (options.Timeout.HasValue ? $"limit {options.Timeout.Value.TotalSeconds:0.#} s" : "no time limit")
                + $", {ThrottleLimit} requests in flight at most.");

            var progress = new WaitProgressReporter(this, ProgressActivityId, ProgressEvery);
            var run = Task.Run(() => waiter.RunAsync(_ids, StopToken));
            try
            {
                while (!run.IsCompleted)
                {
                    Queue.RunNext(ProgressEvery, StopToken);
                    progress.Update(waiter.Snapshot());
                }
                Queue.RunPending();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                progress.Complete();
            }

            if (run.IsFaulted && !StopToken.IsCancellationRequested)
            {
                WriteError(ErrorRecords.FromException(run.Exception!.GetBaseException(), null));
            }
            var final = waiter.Snapshot();
            WriteVerbose($"Wait ended after {WaitObserver.Clock(final.Elapsed)}: {final.Succeeded} succeeded, {final.Failed} failed, {final.Errors} errors, {final.TimedOut} timed out, {final.Running} not finished.");
        }
    }
}
