using ZAi.PowerShell.Journal;
using System;
using System.Collections.Generic;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Waiting;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Errors;
using ZAi.PowerShell.Submitting;

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
        private const int ProgressActivityId = 0x2A1;
        private readonly Dictionary<string, string?> _seen = new Dictionary<string, string?>(StringComparer.Ordinal);
        private TaskWaiter? _waiter;
        private ItemEngine<string, AsyncResult>? _engine;
        private WaitProgressReporter? _progress;
        private readonly Dictionary<string, string?> _journals = new Dictionary<string, string?>(StringComparer.Ordinal);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _agents = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LedgerEntry> _known = new System.Collections.Concurrent.ConcurrentDictionary<string, LedgerEntry>(StringComparer.Ordinal);
        private readonly WaitLedger _ledger;
        private IReadOnlyList<JournalFile> _closedLast = Array.Empty<JournalFile>();

        public WaitZAiAsyncResultCommand()
        {
            _ledger = new WaitLedger(message => Queue.Post(() => WriteWarning(message)));
        }

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
                var engine = _engine ??= Start();
                var journal = string.IsNullOrEmpty(Journal) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Journal);
                LedgerEntry? entry;
                try
                {
                    entry = _ledger.Track(id, journal);
                }
                catch (JournalBusyException ex)
                {
                    ThrowTerminatingError(ErrorRecords.JournalFault(ex, journal));
                    throw;
                }
                _seen[id] = Id!.Length == 1 ? Prompt ?? entry?.Prompt : entry?.Prompt;
                _journals[id] = journal;
                // A task's agent travels with it (the input's AgentId) to every poll of it.
                if (RecordAgentId is string agent) _agents[id] = agent;
                if (entry != null && entry.FilesIntact())
                {
                    // Saved in an earlier run and still on disk: nothing to ask the API.
                    WriteVerbose($"Task '{TaskIdPath.Shown(id)}': the journal records its files as saved; not polled, so its result goes on without links (Save-ZAiMedia fetches them once if it needs them).");
                    _known[id] = entry;
                }
                engine.Add(id);
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
                _closedLast = _ledger.Close();
            }
            WriteVerbose($"Wait ended after {_waiter!.Snapshot().Summary()}.");
            foreach (var journal in _closedLast) JournalEnd.Report(this, journal);
        }

        protected override void ReleaseResources() => _ledger.Dispose();

        /// <summary>The files Save-ZAiMedia makes of a result: each video, its cover when it has one, each image.</summary>
        private static int MediaFileCount(AsyncResult result)
        {
            var files = result.ImageResult.Count;
            foreach (var video in result.VideoResult) files += string.IsNullOrEmpty(video.CoverImageUrl) ? 1 : 2;
            return files;
        }

        /// <summary>An error about a task names the prompt it was submitted with, when known.</summary>
        private string PromptLabel(string id) => Binding.InputRows.PromptLabel(_seen.TryGetValue(id, out var prompt) ? prompt : null);

        /// <summary>One task's wait, its end recorded in its journal before the result goes on.</summary>
        private async System.Threading.Tasks.Task<AsyncResult> WaitAsync(string id, System.Threading.CancellationToken stop)
        {
            if (_known.TryGetValue(id, out var saved)) return LedgerResult.Saved(saved);
            try
            {
                var result = await _waiter!.WaitForSuccessAsync(id, stop).ConfigureAwait(false);
                _ledger.Finished(id, succeeded: true, null, result.ExpiresAt, MediaFileCount(result));
                return result;
            }
            catch (ZAiTaskFailedException failed) when (!failed.TimedOut)
            {
                _ledger.Finished(id, succeeded: false, failed.Message, null);
                if (_ledger.IsJournaled(id))
                {
                    // A journaled batch goes on: the failure is said now and reported with the batch's end, so a
                    // runbook under -ErrorAction Stop saves every other prompt before it fails.
                    Queue.Post(() => WriteWarning(PromptLabel(id) + failed.Message + " The journal records it; the run reports it at its end."));
                    return null!;
                }
                throw;
            }
        }

        private ItemEngine<string, AsyncResult> Start()
        {
            var gate = new RateLimitGate();
            var sender = CreateSender(error =>
            {
                if (error.Reason == ZAiErrorReason.RateLimited) gate.OnRateLimited(error.RetryAfter);
            });
            var account = sender.Settings.Account();
            var client = new AsyncResultClient(sender, account);
            var options = WaitOptions.FromParameters(PollIntervalSec, MaximumPollIntervalSec, TimeoutSec, ThrottleLimit, Any);
            WriteVerbose($"Waiting for tasks as they arrive: {options.Describe()}.");
            _waiter = new TaskWaiter((id, stop) => client.GetAsync(id, _agents.TryGetValue(id, out var agent) ? agent : null, stop), options, gate, new WaitObserver(Sink, Queue, account.RecentTaskIds), account: account);
            _progress = new WaitProgressReporter(Sink, ProgressActivityId, TimeSpan.FromMilliseconds(250)) { InputComplete = !MyInvocation.ExpectingInput };
            var engine = CreateEngine<string, AsyncResult>(WaitAsync, (id, result) =>
            {
                if (result is null) return;   // a journaled failure: said as a warning, reported at the batch's end
                UnreadFieldsWarning.WriteOnce(Sink, result);
                Sink.WriteObject(JournalNote.Attach(PromptNote.Attach(result, _seen[id]), _journals[id]));
            }, OutputOrder.Completion, label: PromptLabel);
            engine.Tick = () => _progress.Update(_waiter.Snapshot().Counting(_seen.Count));
            return engine;
        }
    }
}
