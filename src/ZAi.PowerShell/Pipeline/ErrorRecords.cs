using System;
using System.Management.Automation;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Builds the ErrorRecords users catch and filter on. ErrorIds are stable once shipped.</summary>
    internal static class ErrorRecords
    {
        public const string InvalidTaskId = "ZAiInvalidTaskId";
        public const string InvalidGenerationRequest = "ZAiInvalidGenerationRequest";
        public const string InvalidConfiguration = "ZAiInvalidConfiguration";
        public const string UnexpectedError = "ZAiUnexpectedError";

        public static ErrorRecord FromApi(ZAiApiException error, object? target)
        {
            var record = new ErrorRecord(error, error.ErrorId, Category(error.Reason), target);
            var action = RecommendedAction(error);
            if (action != null)
            {
                record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = action };
            }
            return record;
        }

        public static ErrorRecord FromException(Exception error, object? target)
        {
            return error is ZAiApiException api
                ? FromApi(api, target)
                : new ErrorRecord(error, UnexpectedError, ErrorCategory.NotSpecified, target);
        }

        public static ErrorRecord Invalid(string errorId, string message, object? target)
        {
            return new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
        }

        public static ErrorCategory Category(ZAiErrorReason reason)
        {
            switch (reason)
            {
                case ZAiErrorReason.ApiKeyMissing:
                case ZAiErrorReason.AuthenticationFailed:
                    return ErrorCategory.AuthenticationError;
                case ZAiErrorReason.AccountProblem:
                    return ErrorCategory.PermissionDenied;
                case ZAiErrorReason.QuotaExceeded:
                    return ErrorCategory.QuotaExceeded;
                case ZAiErrorReason.RateLimited:
                    return ErrorCategory.LimitsExceeded;
                case ZAiErrorReason.InvalidRequest:
                    return ErrorCategory.InvalidArgument;
                case ZAiErrorReason.ContentRejected:
                    return ErrorCategory.InvalidData;
                case ZAiErrorReason.NotFound:
                    return ErrorCategory.ObjectNotFound;
                case ZAiErrorReason.ServiceUnavailable:
                case ZAiErrorReason.ConnectionFailed:
                    return ErrorCategory.ConnectionError;
                case ZAiErrorReason.ServerError:
                case ZAiErrorReason.InvalidResponse:
                    return ErrorCategory.InvalidResult;
                case ZAiErrorReason.Timeout:
                    return ErrorCategory.OperationTimeout;
                case ZAiErrorReason.DuplicateRequest:
                    return ErrorCategory.ResourceExists;
                default:
                    return ErrorCategory.NotSpecified;
            }
        }

        private static string? RecommendedAction(ZAiApiException error)
        {
            switch (error.Reason)
            {
                case ZAiErrorReason.ApiKeyMissing:
                case ZAiErrorReason.AuthenticationFailed:
                    return "Check the API key: Connect-ZAi -ApiKey (Read-Host -AsSecureString), or set ZAI_API_KEY. Get-ZAiContext shows which key is in use.";
                case ZAiErrorReason.RateLimited:
                    return "Slow down or wait: the account's concurrency or frequency limit was reached. Raise Connect-ZAi -MaxRetries to wait longer automatically.";
                case ZAiErrorReason.QuotaExceeded:
                    return "Top up the account balance.";
                case ZAiErrorReason.DuplicateRequest:
                    return "A request id names one task: omit -RequestId to have a new one generated, or find the task created for this request id in the Z.AI console.";
                case ZAiErrorReason.NotFound:
                    return "Check the task id: it is the id returned when the task was submitted, not the request id.";
                case ZAiErrorReason.ConnectionFailed:
                case ZAiErrorReason.Timeout:
                case ZAiErrorReason.ServiceUnavailable:
                    return "Try again later; check the network and Get-ZAiContext's BaseUri.";
                default:
                    return null;
            }
        }
    }
}
