using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Journal;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// The Start-* cmdlets' decision per request, before anything is sent: its place in the journal
    /// (SubmissionBatch.Plan), the budget (BatchCosts.Admit), ShouldProcess (submissions are billed), the journal
    /// opened and matched again (Commit), and the journal's shared spend (Reserve). A refusal is recorded in the
    /// journal and said once; known outcomes of earlier runs and blank input lines are said once at the end. On the
    /// cmdlet's thread; writes only through the sink.
    /// </summary>
    internal sealed class StartAdmission
    {
        private readonly SubmissionBatch _batch;
        private readonly BatchCosts _costs;
        private readonly Uri _baseUri;
        private readonly IPipelineSink _sink;
        private readonly Func<bool> _whatIf;
        private readonly string? _journal;
        private readonly decimal? _maximum;
        private readonly Action<ErrorRecord> _fail;
        private readonly List<string> _skipped = new List<string>();
        private readonly List<int> _blankRows = new List<int>();
        private readonly List<ErrorRecord> _refusals = new List<ErrorRecord>();

        /// <param name="whatIf">Whether -WhatIf is in effect (nothing is recorded or sent).</param>
        /// <param name="journal">-Journal as given, or null: refusals are then errors at the end, not journal lines.</param>
        /// <param name="maximum">-MaximumCost, or null.</param>
        /// <param name="fail">Throws the terminating error of a journal that cannot be used; it does not return.</param>
        public StartAdmission(SubmissionBatch batch, BatchCosts costs, Uri baseUri, IPipelineSink sink, Func<bool> whatIf, string? journal, decimal? maximum, Action<ErrorRecord> fail)
        {
            _batch = batch;
            _costs = costs;
            _baseUri = baseUri;
            _sink = sink;
            _whatIf = whatIf;
            _journal = journal;
            _maximum = maximum;
            _fail = fail;
        }

        /// <summary>Without a journal: the budget's refusals, this command's errors at its end when nothing follows it.</summary>
        public IReadOnlyList<ErrorRecord> Refusals => _refusals;

        /// <summary>An exception that means the journal cannot be read, opened or written.</summary>
        public static bool IsJournalFault(Exception ex) =>
            ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException;

        /// <summary>A blank line of a prompts file (row <paramref name="row"/>) is not a prompt: skipped, said once at the end.</summary>
        public void Blank(int row) => _blankRows.Add(row);

        /// <summary>The plan to send for <paramref name="request"/>, or null when nothing goes to the engine (known outcome, refused, declined, -WhatIf).</summary>
        /// <param name="label">How errors name the input record.</param>
        /// <param name="target">What an error about the request is about.</param>
        public SubmissionPlan? Admit(GenerationRequest request, string label, object? target)
        {
            var plan = _batch.Plan(request, label);
            var note = _batch.JournalNote(plan);
            if (plan.RequestIdNote != null) _sink.WriteWarning(plan.Label + plan.RequestIdNote + ".");
            CostDecision? cost = null;
            if (plan.AlreadyAccepted || plan.Skipped)
            {
                var said = $"{plan.Request.Subject} for '{plan.Request.ShortPrompt()}': {note}.";
                if (_whatIf())
                {
                    _sink.ShouldProcess(said, null!, null!);
                    return null;
                }
                if (plan.Skipped)
                {
                    _skipped.Add(plan.Label + note + ".");
                    return null;
                }
                _sink.WriteVerbose(said);
            }
            else
            {
                cost = plan.Action == PlanAction.Resend ? _costs.Quote(plan.Request.Model) : CostCmdletSupport.Admit(_sink, _costs, plan.Request);
                if (cost.Refused)
                {
                    Refuse(plan, cost.Refusal!, target);
                    return null;
                }
                if (!Confirm(plan, note, cost))
                {
                    if (!_whatIf()) _costs.Withdraw(cost);
                    return null;
                }
            }
            plan = Commit(plan);
            if (plan.Skipped) return null;
            // The journal's spend is shared by every command writing it (thread jobs, runspaces): it has the last word.
            if (cost != null && !_batch.Reserve(plan, cost.Price, _maximum, _costs.PriceOf, out var journalSpent))
            {
                Refuse(plan, _costs.RefuseShared(cost, journalSpent), target);
                return null;
            }
            plan.Target = target;
            return plan;
        }

        /// <summary>Says, once and after all the work, the known outcomes skipped, the blank lines skipped and the estimated cost.</summary>
        public void End()
        {
            foreach (var skipped in _skipped) _sink.WriteWarning(skipped);
            if (_blankRows.Count > 0)
            {
                _sink.WriteWarning($"Skipped {_blankRows.Count} blank input line(s) (row {string.Join(", ", _blankRows)}): a blank line is not a prompt, and nothing was sent for it.");
            }
            CostCmdletSupport.End(_sink, _costs, _whatIf());
        }

        /// <summary>ShouldProcess for a billed submission: -WhatIf says it, -Confirm asks.</summary>
        private bool Confirm(SubmissionPlan plan, string? note, CostDecision cost)
        {
            var request = plan.Request;
            var endpoint = new Uri(_baseUri, request.Endpoint.Path).AbsoluteUri;
            return _sink.ShouldProcess(
                $"Submitting a billed {request.Model} {request.Endpoint.Noun} generation task: POST {endpoint} {request.Describe()}" + (note is null ? string.Empty : $" (journal: {note})") + _costs.PriceText(cost),
                $"Submit a {request.Model} {request.Endpoint.Noun} generation task for '{request.ShortPrompt()}'? The task is billed to the account." + _costs.PriceText(cost),
                "Submit a Z.AI generation task");
        }

        /// <summary>A request the budget refused: recorded in the journal, said once as a warning, reported again at the end.</summary>
        private void Refuse(SubmissionPlan plan, string refusal, object? target)
        {
            var message = plan.Label.Length > 0 ? plan.Label + refusal : CostCmdletSupport.RefusalText(plan.Request, refusal);
            bool news;
            try
            {
                news = _whatIf() || _batch.RecordRefusal(plan, refusal);
            }
            catch (Exception ex) when (IsJournalFault(ex))
            {
                _fail(ErrorRecords.JournalFault(ex, _journal));
                throw;
            }
            if (news) _sink.WriteWarning(message + (_journal is null || _whatIf() ? string.Empty : " The journal records it; a later run with a higher -MaximumCost submits it."));
            else _skipped.Add(message + " (refused in an earlier run too).");
            // Without a journal the refusal is also the end's error (the cmdlet's ReportEnd); with one, the batch's report says it.
            if (_journal is null) _refusals.Add(CostCmdletSupport.RefusalRecord(message, target));
        }

        /// <summary>Opens the journal for writing at the first request sent or adopted, and matches the request again against it.</summary>
        private SubmissionPlan Commit(SubmissionPlan plan)
        {
            try
            {
                return _batch.Commit(plan);
            }
            catch (Exception ex) when (IsJournalFault(ex))
            {
                _fail(ErrorRecords.JournalFault(ex, _journal));
                throw;
            }
        }
    }
}
