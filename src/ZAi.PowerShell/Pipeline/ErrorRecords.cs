using System;
using System.Management.Automation;

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
                    return Build(error, ErrorTable.For(media.Reason), target);
                case ZAiTaskFailedException failed:
                    return Build(error, failed.TimedOut ? ErrorTable.WaitTimeout : ErrorTable.TaskFailed, (object?)failed.Result ?? failed.TaskId);
                default:
                    return Build(error, ErrorTable.Unexpected, target);
            }
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
