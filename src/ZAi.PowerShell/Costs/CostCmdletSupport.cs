using ZAi.PowerShell.Journal;
using System;
using System.IO;
using System.Management.Automation;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Costs
{
    /// <summary>What a submission cmdlet says and does about costs: the batch's budget, each task's estimate, refusals, and the closing total.</summary>
    internal static class CostCmdletSupport
    {
        /// <summary>The batch's costs, starting from what the journal (if any) already records as accepted.</summary>
        /// <param name="prices">The prices of the command's connection (ConnectionSettings.Prices).</param>
        public static BatchCosts Start(PSCmdlet cmdlet, decimal? maximumCost, string? journal, Prices prices)
        {
            if (maximumCost < 0)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidArgument, $"-MaximumCost {maximumCost} is negative; give the most the run may spend in USD, e.g. 5 or 12.50.", maximumCost));
            }
            var earlier = Array.Empty<string?>() as System.Collections.Generic.IReadOnlyList<string?>;
            if (journal != null)
            {
                try
                {
                    earlier = JournalSpend.AcceptedModels(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(journal));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    cmdlet.WriteWarning($"The journal's earlier tasks could not be read for the cost estimate: {ex.Message}");
                }
            }
            var costs = new BatchCosts(maximumCost, prices.Table, earlier);
            cmdlet.WriteVerbose($"Estimates use the {prices.Describe()}.");
            if (costs.JournalTasks > 0) cmdlet.WriteVerbose($"The journal records {costs.JournalTasks} accepted task(s), estimated at {Prices.Format(costs.JournalSpent)}.");
            return costs;
        }

        /// <summary>Prices a new task; a refused one gets its ZAiBudgetExceeded error here.</summary>
        public static CostDecision Admit(PSCmdlet cmdlet, BatchCosts costs, GenerationRequest request, object? target)
        {
            var decision = costs.Admit(request.Model);
            if (decision.Note != null)
            {
                if (costs.Maximum.HasValue) cmdlet.WriteWarning(decision.Note);
                else cmdlet.WriteVerbose(decision.Note);
            }
            if (decision.Refused)
            {
                var message = $"{char.ToUpperInvariant(request.Endpoint.Noun[0])}{request.Endpoint.Noun.Substring(1)} task for '{request.ShortPrompt()}': {decision.Refusal}";
                var record = new ErrorRecord(new InvalidOperationException(message), ErrorTable.BudgetExceeded, ErrorCategory.LimitsExceeded, target)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Raise -MaximumCost, or submit fewer tasks; nothing was sent for this one." },
                };
                cmdlet.WriteError(record);
            }
            return decision;
        }

        /// <summary>The batch's closing line: -Verbose, and a "What if:" line under -WhatIf.</summary>
        public static void End(PSCmdlet cmdlet, BatchCosts costs, bool whatIf)
        {
            var summary = costs.Summary();
            if (whatIf) cmdlet.ShouldProcess(summary, null, null);
            else cmdlet.WriteVerbose(summary);
        }
    }
}
