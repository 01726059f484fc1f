using System.Management.Automation;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// What the last command of a process to use a journal says when it ends: whether the journal's batch is done.
    /// Requests that ended unsaved (failed, expired, unknown, refused) make one ZAiBatchIncomplete error naming the
    /// counts and the Get-ZAiJournal command that lists them; a scheduler sees the run fail at its end.
    /// </summary>
    internal static class JournalEnd
    {
        public static void Report(IPipelineSink sink, JournalFile journal)
        {
            var report = BatchReport.Of(journal);
            if (report.Done)
            {
                sink.WriteVerbose($"Journal '{journal.Path}': {report.Count(LedgerState.Saved)} of {report.Total} request(s) saved; none ended unsaved.");
                return;
            }
            var message = report.Describe();
            sink.WriteError(new ErrorRecord(new System.InvalidOperationException(message), ErrorTable.BatchIncomplete, ErrorCategory.InvalidResult, journal.Path)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = report.Advice() },
            });
        }
    }
}
