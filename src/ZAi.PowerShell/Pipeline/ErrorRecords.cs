using System;
using System.Management.Automation;
using ZAi.PowerShell.Client;

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
            var action = ErrorAdvice.For(error);
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
                case ZAiErrorReason.UsageLimitReached:
                    return ErrorCategory.QuotaExceeded;
                case ZAiErrorReason.RateLimited:
                    return ErrorCategory.LimitsExceeded;
                case ZAiErrorReason.InvalidRequest:
                    return ErrorCategory.InvalidArgument;
                case ZAiErrorReason.ContentRejected:
                    return ErrorCategory.InvalidData;
                case ZAiErrorReason.NotFound:
                case ZAiErrorReason.EndpointNotFound:
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
    }
}
