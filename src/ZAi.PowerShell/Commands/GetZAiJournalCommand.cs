using ZAi.PowerShell.Journal;
using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Get-ZAiJournal: reads a journal (a runbook's ledger) without locking or changing it, one JournalEntry per
    /// request, or with -Summary the counts by state.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ZAiJournal", HelpUri = HelpLinks.Docs + "Get-ZAiJournal.md")]
    [OutputType(typeof(JournalEntry), typeof(JournalSummary))]
    public sealed class GetZAiJournalCommand : ZAiCmdlet
    {
        /// <summary>The journal file, as given to -Journal of Start-ZAiVideoGeneration or Start-ZAiImageGeneration.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "Journal")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Only the requests in these states: Recorded, Submitted, Succeeded, Failed, Saved, Unknown, Expired, Refused.</summary>
        [Parameter]
        [ValidateSet("Recorded", "Submitted", "Succeeded", "Failed", "Saved", "Unknown", "Expired", "Refused")]
        public string[]? State { get; set; }

        /// <summary>One object with the counts by state instead of one per request.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        protected override void ProcessRecord()
        {
            var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!File.Exists(full))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"The journal '{full}' does not exist.", full), ErrorTable.InvalidJournal, ErrorCategory.ObjectNotFound, Path));
                return;
            }
            JournalFile journal;
            try
            {
                journal = JournalFile.ReadOnly(full);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                WriteError(new ErrorRecord(ex, ErrorTable.InvalidJournal, ErrorCategory.ReadError, Path));
                return;
            }
            using (journal)
            {
                foreach (var warning in journal.Warnings) WriteWarning(warning);
                // Estimates use the prices of this runspace's connection.
                var prices = Client.ZAiSession.Connection?.Prices ?? Costs.Prices.BuiltIn;
                var entries = journal.Entries().Where(e => State is null || State.Contains(e.State.ToString(), StringComparer.OrdinalIgnoreCase)).ToList();
                WriteVerbose($"Journal '{full}': {journal.Count} request(s); {entries.Count} shown.");
                if (Summary)
                {
                    int Count(LedgerState state) => entries.Count(e => e.State == state);
                    // Every send may be billed: Recorded and Unknown requests too, and each -RetryFailed attempt.
                    var spend = entries.Sum(e => e.EstimatedSpend(prices.Estimate) ?? 0m);
                    WriteObject(new JournalSummary(full, Count(LedgerState.Recorded), Count(LedgerState.Submitted), Count(LedgerState.Succeeded), Count(LedgerState.Failed), Count(LedgerState.Saved), Count(LedgerState.Unknown), Count(LedgerState.Expired), Count(LedgerState.Refused), spend));
                    return;
                }
                foreach (var entry in entries) WriteObject(new JournalEntry(full, entry, prices));
            }
        }
    }
}
