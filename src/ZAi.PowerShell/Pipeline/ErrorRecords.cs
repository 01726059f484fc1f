using System;
using System.Management.Automation;
using ZAi.PowerShell.Errors;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Builds the ErrorRecords users catch and filter on, from the rows of <see cref="ErrorTable"/>.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord FromException(Exception error, object? target)
        {
            switch (error)
            {
                case ZAiApiException api:
                    return Build(error, ErrorTable.For(api.Reason), target, Client.ErrorAdvice.For(api));
                case ZAiMediaException media:
                    return Build(error, ErrorTable.For(media.Reason), target, Client.ErrorAdvice.For(media));
                case ZAiTaskFailedException failed:
                    return Build(error, failed.TimedOut ? ErrorTable.WaitTimeout : ErrorTable.TaskFailed, (object?)failed.Result ?? failed.TaskId);
                default:
                    return Build(error, ErrorTable.Unexpected, target);
            }
        }

        /// <summary>The record with its message starting with <paramref name="label"/> (which input record it is about), the advice kept.</summary>
        public static ErrorRecord Labelled(ErrorRecord record, string label)
        {
            if (string.IsNullOrEmpty(label)) return record;
            var message = record.ErrorDetails?.Message ?? record.Exception.Message;
            if (message.StartsWith(label, System.StringComparison.Ordinal)) return record;
            var advice = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = new ErrorDetails(label + message) { RecommendedAction = advice };
            return record;
        }

        /// <summary>A journal that cannot be used: in use by another process (ZAiJournalInUse), or unreadable or unwritable (ZAiInvalidJournal).</summary>
        public static ErrorRecord JournalFault(Exception error, string? path)
        {
            var busy = error is Journal.JournalBusyException;
            return new ErrorRecord(error, busy ? ErrorTable.JournalInUse : ErrorTable.InvalidJournal, busy ? ErrorCategory.ResourceBusy : ErrorCategory.WriteError, path)
            {
                ErrorDetails = new ErrorDetails(error.Message)
                {
                    RecommendedAction = busy ? "Wait for the other run on this journal to finish, then run again." : "Give a -Journal path in a folder you can write.",
                },
            };
        }

        public static ErrorRecord Invalid(string errorId, string message, object? target)
        {
            return new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
        }

        private static ErrorRecord Build(Exception error, ErrorRow row, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(error, row.ErrorId, row.Category, target);
            if (recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = recommendedAction };
            }
            return record;
        }
    }
}
