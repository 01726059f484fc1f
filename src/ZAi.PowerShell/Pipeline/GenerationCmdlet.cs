using ZAi.PowerShell.Journal;
using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Base of the cmdlets that submit generation tasks: the parameters both kinds share, validation before
    /// anything is sent, ShouldProcess per task (submissions are billed), up to -ThrottleLimit submissions in
    /// flight, results written in input order, and a rate-limit answer holding back the rest of the batch.
    /// </summary>
    public abstract class GenerationCmdlet : ZAiCmdlet
    {
        private const int ProgressActivityId = 0x2A3;
        private readonly RateLimitGate _gate = new RateLimitGate();
        private SubmissionBatch? _batch;
        private ItemEngine<SubmissionPlan, AsyncResult>? _engine;
        private SubmitProgressReporter? _progress;
        private readonly Binding.InputRows _rows = new Binding.InputRows();
        private StartAdmission? _admission;
        private AccountState? _account;

        /// <summary>A unique id for the request, chosen by you; one is generated when omitted. A request id names one task: the same request id is never submitted twice.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Binding.BlankMeansDefault]
        public string? RequestId { get; set; }

        /// <summary>The id of your end user (6 to 128 characters), which helps the platform act on abuse.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Binding.BlankMeansDefault]
        public string? UserId { get; set; }

        /// <summary>More body fields for the model, by their API names, e.g. @{ style = 'anime'; watermark_enabled = $false }.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? Parameter { get; set; }

        /// <summary>How many submissions may be in flight at once. Default: 4.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>A file that records every submission before it is sent and its task id once accepted, so a re-run with the same journal submits nothing twice.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Journal { get; set; }

        /// <summary>Submit again, once and under a new request id, the prompts whose task failed in an earlier run of the same -Journal (they are otherwise reported and skipped).</summary>
        [Parameter]
        public SwitchParameter RetryFailed { get; set; }

        /// <summary>Seconds a request may wait for room on the account (its limit of tasks in flight) while none of the running tasks finishes; 0 waits without a limit. Default: 3600.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int QueueTimeoutSec { get; set; } = 3600;

        /// <summary>The most the run may spend, in USD, by the price table's estimates (the journal's earlier tasks included): a task that would go over it is not submitted (ZAiBudgetExceeded).</summary>
        [Parameter]
        public decimal MaximumCost { get; set; }

        /// <summary>Builds and validates the request of the current pipeline record.</summary>
        /// <exception cref="ArgumentException">A value the API would refuse.</exception>
        internal abstract GenerationRequest BuildRequest();

        /// <summary>Whether a parameter has a value for the current record (bound by name, position or pipeline).</summary>
        internal bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        /// <summary>Fills the shared options from the shared parameters.</summary>
        internal T Common<T>(T options, string? prompt, string model, string? quality, string? size)
            where T : GenerationOptions
        {
            options.Prompt = prompt;
            options.Model = model;
            options.Quality = quality;
            options.Size = size;
            options.RequestId = RequestId;
            options.UserId = UserId;
            options.Parameters = Parameter;
            return options;
        }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var settings = ResolveSettings();
            _batch = Journal is null ? new SubmissionBatch() : OpenJournal(Journal);
            _batch.QueueTimeout = QueueTimeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(QueueTimeoutSec);
            _batch.JournalFailed = (error, plan) => Queue.Post(() => WriteError(ErrorRecords.Labelled(ErrorRecords.FromException(error, plan.Target ?? plan.Request.Prompt), plan.Label)));
            var costs = CostCmdletSupport.Start(Sink, ThrowTerminatingError, Maximum, _batch.View, settings.Prices);
            _admission = new StartAdmission(_batch, costs, settings.BaseUri, Sink, IsWhatIf, Journal, Maximum, ThrowTerminatingError);
            _progress = new SubmitProgressReporter(Sink, ProgressActivityId, TimeSpan.FromMilliseconds(250));
            _engine = CreateEngine<SubmissionPlan, AsyncResult>(_batch.SubmitAsync, Write, OutputOrder.Input, ThrottleLimit, plan => plan.Target, plan => plan.Label);
            // Queued: not answered yet (a result accepted but not written yet in input order is submitted, not queued).
            _engine.Tick = () => _progress.Update(_batch.Submitted, _engine.Queued + _engine.Running, _batch.Capacity, _gate.Remaining());
        }

        protected override void ProcessRecord()
        {
            GenerationRequest request;
            _rows.Next();
            if (MyInvocation.ExpectingInput && IsBlankInput())
            {
                _admission!.Blank(_rows.Count);
                return;
            }
            try
            {
                request = BuildRequest();
            }
            catch (ArgumentException ex)
            {
                WriteError(ErrorRecords.Invalid(ErrorTable.InvalidGenerationRequest, _rows.Label(MyInvocation.ExpectingInput, CurrentTarget() as string) + ex.Message, CurrentTarget()));
                return;
            }

            var target = CurrentTarget();
            var plan = _admission!.Admit(request, Label(target as string), target);
            if (plan is null) return;
            if (!_batch!.Connected) Connect();
            _engine!.Add(plan);
            _engine.Pump();
        }

        protected override void EndProcessing()
        {
            try
            {
                _engine!.Complete();
            }
            finally
            {
                _progress!.Complete();
                _batch!.Dispose();
            }
            // Known outcomes of earlier runs, said once at the end so they hold back none of the other prompts.
            _admission!.End();
            ReportEnd();
        }

        /// <summary>
        /// The batch's end, said once and after all the work: by the last command of the process to use the journal (a
        /// Save after this Start says it instead), an error when some requests ended unsaved, so a runbook under
        /// -ErrorAction Stop fails at its end, not in the middle. Without a journal, refusals are this command's errors
        /// when nothing follows it in the pipeline (a following Wait or Save must not be cut short).
        /// </summary>
        private void ReportEnd()
        {
            if (_batch!.ClosedLast is Journal.JournalFile journal)
            {
                JournalEnd.Report(Sink, journal);
                return;
            }
            if (Journal != null || MyInvocation.PipelinePosition < MyInvocation.PipelineLength) return;
            foreach (var refusal in _admission!.Refusals) WriteError(refusal);
        }

        protected override void ReleaseResources() => _batch?.Dispose();

        /// <summary>The current pipeline record is a blank line of text input (no prompt, nothing else to send).</summary>
        internal abstract bool IsBlankInput();

        /// <summary>What an error about the current record is about: the prompt, else the first image.</summary>
        internal abstract object? CurrentTarget();

        private SubmissionBatch OpenJournal(string path)
        {
            var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            JournalFile view;
            try
            {
                view = JournalFile.ReadOnly(full);
            }
            catch (Exception ex) when (StartAdmission.IsJournalFault(ex))
            {
                ThrowTerminatingError(ErrorRecords.JournalFault(ex, path));
                throw;
            }
            foreach (var warning in view.Warnings) WriteWarning(warning);
            WriteVerbose($"Journal '{full}': {view.Count} request(s) recorded.");
            return new SubmissionBatch(view, IsWhatIf() ? null : readBefore => SharedJournals.Open(full, readBefore: readBefore), RetryFailed);
        }

        /// <summary>How errors of the current record name it: its CSV row and prompt, or the prompt.</summary>
        private string Label(string? prompt)
        {
            var row = _rows.Label(MyInvocation.ExpectingInput, prompt);
            return row.Length > 0 ? row : Binding.InputRows.PromptLabel(prompt);
        }

        private void Connect()
        {
            var sender = CreateSender(error =>
            {
                // 1302 (tasks in flight) is the queue's business; a frequency or overload answer slows the batch.
                if (error.Reason == ZAiErrorReason.RateLimited && !SubmissionClient.IsConcurrencyLimit(error)) _gate.OnRateLimited(error.RetryAfter);
            });
            var account = _account = sender.Settings.Account();
            var capacity = account.Capacity;
            var client = new SubmissionClient(sender, _gate, Log, capacity);
            _batch!.Connect(client, capacity, new RunningTaskWatcher(account, new AsyncResultClient(sender, account).GetAsync, Log));
        }

        private decimal? Maximum => IsBound(nameof(MaximumCost)) ? MaximumCost : (decimal?)null;

        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)) return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
            return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        }

        private void Write(SubmissionPlan plan, AsyncResult result)
        {
            var request = plan.Request;
            if (!plan.AlreadyAccepted) WriteVerbose(request.Outcome(result));
            _account?.RecentTaskIds.Remember(result.Id);
            UnreadFieldsWarning.WriteOnce(Sink, result);
            Sink.WriteObject(JournalNote.Attach(PromptNote.Attach(result, request.Prompt, evenIfNull: true), _batch!.JournalPath));
        }
    }
}
