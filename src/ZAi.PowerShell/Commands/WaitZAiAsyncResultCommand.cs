using System;
using System.Management.Automation;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Waiting;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Wait-ZAiAsyncResult: polls many tasks at once, each from the moment it arrives on the pipeline, and
    /// writes each result the moment its task finishes, in completion order. FAIL tasks and timeouts are
    /// non-terminating errors.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "ZAiAsyncResult", HelpUri = HelpLinks.Docs + "Wait-ZAiAsyncResult.md")]
    [OutputType(typeof(AsyncResult))]
    public sealed class WaitZAiAsyncResultCommand : TaskIdCmdlet
    {
        private WaitEngine? _waits;

        /// <summary>Limit in seconds for each task, counted from when it reaches this command; 0 waits without a limit. Default: 1800 (30 minutes).</summary>
        [Parameter]
        [ValidateRange(0, WaitOptions.MaxTimeoutSec)]
        public int TimeoutSec { get; set; } = (int)WaitOptions.DefaultTimeout.TotalSeconds;

        /// <summary>Seconds between the first and second poll of a task; later intervals grow 1.5x up to -MaximumPollIntervalSec. Default: 5.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double PollIntervalSec { get; set; } = WaitOptions.DefaultFirstInterval.TotalSeconds;

        /// <summary>The longest interval between two polls of a task. Default: 30.</summary>
        [Parameter]
        [Alias("MaxPollIntervalSec")]
        [ValidateRange(0.1, 3600)]
        public double MaximumPollIntervalSec { get; set; } = WaitOptions.DefaultMaxInterval.TotalSeconds;

        /// <summary>How many poll requests may be in flight at once. Default: 10.</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int ThrottleLimit { get; set; } = WaitOptions.DefaultThrottleLimit;

        /// <summary>Return as soon as any one task reaches SUCCESS or FAIL.</summary>
        [Parameter]
        public SwitchParameter Any { get; set; }

        /// <summary>The prompt the task was submitted with, bound from the input's Prompt property, so each result keeps it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? Prompt { get; set; }

        /// <summary>The journal the task was submitted with, bound from the input's Journal property: its end is recorded there, and a task the journal records as saved (files still on disk) is passed on without a request.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? Journal { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MaximumPollIntervalSec))
                && MyInvocation.BoundParameters.ContainsKey(nameof(PollIntervalSec))
                && MaximumPollIntervalSec < PollIntervalSec)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(
                    ErrorTable.InvalidPollInterval,
                    $"-MaximumPollIntervalSec ({MaximumPollIntervalSec}) is less than -PollIntervalSec ({PollIntervalSec}).",
                    null));
            }
            var options = WaitOptions.FromParameters(PollIntervalSec, MaximumPollIntervalSec, TimeoutSec, ThrottleLimit, Any);
            _waits = new WaitEngine(options, Sink, Queue, StopToken, error => CreateSender(error), SessionState.Path.GetUnresolvedProviderPathFromPSPath, ThrowTerminatingError, inputComplete: !MyInvocation.ExpectingInput);
        }

        protected override void ProcessRecord()
        {
            foreach (var id in ValidIds())
            {
                // A record of several ids has no one prompt: each takes its journal's.
                _waits!.Add(id, Id!.Length == 1 ? Prompt : null, Journal, RecordAgentId);
            }
            _waits!.Pump();
        }

        protected override void EndProcessing() => _waits!.Complete();

        protected override void ReleaseResources() => _waits?.Dispose();
    }
}
