using System;
using System.Collections.Generic;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Waiting;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Wait-ZAiAsyncResult: polls many tasks at once, each from the moment it arrives on the pipeline, and
    /// writes each result the moment its task finishes, in completion order. FAIL tasks and timeouts are
    /// non-terminating errors.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "ZAiAsyncResult")]
    [OutputType(typeof(AsyncResult))]
    public sealed class WaitZAiAsyncResultCommand : TaskIdCmdlet
    {
        private const int ProgressActivityId = 0x2A1;
        private readonly Dictionary<string, string?> _seen = new Dictionary<string, string?>(StringComparer.Ordinal);
        private TaskWaiter? _waiter;
        private ItemEngine<string, AsyncResult>? _engine;
        private WaitProgressReporter? _progress;

        /// <summary>Limit in seconds for each task, counted from when it reaches this command; 0 waits without a limit. Default: 1800 (30 minutes).</summary>
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

        /// <summary>The prompt the task was submitted with, bound from the input's Prompt property, so each result keeps it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? Prompt { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxPollIntervalSec))
                && MyInvocation.BoundParameters.ContainsKey(nameof(PollIntervalSec))
                && MaxPollIntervalSec < PollIntervalSec)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(
                    ErrorTable.InvalidPollInterval,
                    $"-MaxPollIntervalSec ({MaxPollIntervalSec}) is less than -PollIntervalSec ({PollIntervalSec}).",
                    null));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var id in ValidIds())
            {
                if (_seen.ContainsKey(id))
                {
                    WriteVerbose($"Task '{TaskIdPath.Shown(id)}' is already in the list; it is polled once.");
                    continue;
                }
                _seen[id] = Id!.Length == 1 ? Prompt : null;
                (_engine ??= Start()).Add(id);
            }
            _engine?.Pump();
        }

        protected override void EndProcessing()
        {
            if (_engine is null) return;
            _progress!.InputComplete = true;
            try
            {
                _engine.Complete();
            }
            finally
            {
                _progress!.Complete();
            }
            WriteVerbose($"Wait ended after {_waiter!.Snapshot().Summary()}.");
        }

        private ItemEngine<string, AsyncResult> Start()
        {
            var gate = new RateLimitGate();
            var client = new AsyncResultClient(CreateSender(error =>
            {
                if (error.Reason == ZAiErrorReason.RateLimited) gate.OnRateLimited(error.RetryAfter);
            }));
            var options = WaitOptions.FromParameters(PollIntervalSec, MaxPollIntervalSec, TimeoutSec, ThrottleLimit, Any);
            WriteVerbose($"Waiting for tasks as they arrive: {options.Describe()}.");
            _waiter = new TaskWaiter(client.GetAsync, options, gate, new WaitObserver(Sink, Queue));
            _progress = new WaitProgressReporter(Sink, ProgressActivityId, TimeSpan.FromMilliseconds(250)) { InputComplete = !MyInvocation.ExpectingInput };
            var engine = CreateEngine<string, AsyncResult>(_waiter.WaitForSuccessAsync, (id, result) => WriteObject(PromptNote.Attach(result, _seen[id])), OutputOrder.Completion);
            engine.Tick = () => _progress.Update(_waiter.Snapshot().Counting(_seen.Count));
            return engine;
        }
    }
}
