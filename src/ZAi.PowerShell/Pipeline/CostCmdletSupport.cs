using ZAi.PowerShell.Journal;
using System;
using System.IO;
using System.Management.Automation;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Errors;
using ZAi.PowerShell.Costs;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>What a submission cmdlet says and does about costs: the batch's budget, each task's estimate, refusals, and the closing total.</summary>
    internal static class CostCmdletSupport
    {
        /// <summary>The batch's costs, starting from what the journal (if any) already records as accepted.</summary>
        /// <param name="fail">Throws the terminating error of a negative -MaximumCost (the cmdlet's ThrowTerminatingError); it does not return.</param>
        /// <param name="prices">The prices of the command's connection (ConnectionSettings.Prices).</param>
        public static BatchCosts Start(IPipelineSink sink, Action<ErrorRecord> fail, decimal? maximumCost, JournalFile? journal, Prices prices)
        {
            if (maximumCost < 0)
            {
                fail(ErrorRecords.Invalid(ErrorTable.InvalidArgument, $"-MaximumCost {maximumCost} is negative; give the most the run may spend in USD, e.g. 5 or 12.50.", maximumCost));
            }
            // Every send the journal records may be billed: accepted, failed, unknown and recorded requests, each retry.
            var costs = new BatchCosts(maximumCost, prices.Table, journal?.BilledModels());
            sink.WriteVerbose($"Estimates use the {prices.Describe()}.");
            if (costs.JournalTasks > 0) sink.WriteVerbose($"The journal records {costs.JournalTasks} task(s) that may be billed, estimated at {Prices.Format(costs.JournalSpent)}.");
            return costs;
        }

        /// <summary>Prices a new task and says once per model why it has no estimate; a refused one is the caller's to report.</summary>
        public static CostDecision Admit(IPipelineSink sink, BatchCosts costs, GenerationRequest request)
        {
            var decision = costs.Admit(request.Model);
            if (decision.Note != null)
            {
                if (costs.Maximum.HasValue) sink.WriteWarning(decision.Note);
                else sink.WriteVerbose(decision.Note);
            }
            return decision;
        }

        /// <summary>"Video task for 'A fox': Not submitted: ..." — a refusal as the user reads it.</summary>
        public static string RefusalText(GenerationRequest request, string refusal) =>
            $"{char.ToUpperInvariant(request.Endpoint.Noun[0])}{request.Endpoint.Noun.Substring(1)} task for '{request.ShortPrompt()}': {refusal}";

        /// <summary>The ZAiBudgetExceeded error of a refused task.</summary>
        public static ErrorRecord RefusalRecord(string message, object? target) =>
            new ErrorRecord(new InvalidOperationException(message), ErrorTable.BudgetExceeded, ErrorCategory.LimitsExceeded, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Raise -MaximumCost, or submit fewer tasks; nothing was sent for this one." },
            };

        /// <summary>The batch's closing line: -Verbose, and a "What if:" line under -WhatIf.</summary>
        public static void End(IPipelineSink sink, BatchCosts costs, bool whatIf)
        {
            var summary = costs.Summary();
            if (whatIf) sink.ShouldProcess(summary, null!, null!);
            else sink.WriteVerbose(summary);
        }
    }
}
