using System.Collections.Generic;
using System.Management.Automation;

namespace ZAi.PowerShell.Errors
{
    /// <summary>One row per failure the module reports: its stable ErrorId and its category.</summary>
    internal sealed class ErrorRow
    {
        public ErrorRow(string errorId, ErrorCategory category)
        {
            ErrorId = errorId;
            Category = category;
        }

        public string ErrorId { get; }

        public ErrorCategory Category { get; }
    }

    /// <summary>
    /// Every failure the module reports, in one place: API reasons, media failures, task outcomes and input
    /// validation, each mapped to its ErrorId (stable once shipped; see about_ZAi) and ErrorCategory. What to do
    /// about an API failure depends on its details, so that advice comes from <see cref="Client.ErrorAdvice"/>.
    /// </summary>
    internal static class ErrorTable
    {
        public const string InvalidTaskId = "ZAiInvalidTaskId";
        public const string InvalidGenerationRequest = "ZAiInvalidGenerationRequest";
        public const string InvalidConfiguration = "ZAiInvalidConfiguration";
        public const string InvalidArgument = "ZAiInvalidArgument";
        public const string InvalidPath = "ZAiInvalidPath";
        public const string InvalidPollInterval = "ZAiInvalidPollInterval";
        public const string UnexpectedError = "ZAiUnexpectedError";
        public const string JournalInUse = "ZAiJournalInUse";
        public const string InvalidJournal = "ZAiInvalidJournal";
        public const string BudgetExceeded = "ZAiBudgetExceeded";
        public const string BatchIncomplete = "ZAiBatchIncomplete";
        public const string InvalidPriceFile = "ZAiInvalidPriceFile";

        public static readonly ErrorRow TaskFailed = new ErrorRow("ZAiTaskFailed", ErrorCategory.InvalidResult);
        public static readonly ErrorRow WaitTimeout = new ErrorRow("ZAiWaitTimeout", ErrorCategory.OperationTimeout);
        public static readonly ErrorRow Unexpected = new ErrorRow(UnexpectedError, ErrorCategory.NotSpecified);

        /// <summary>The proxy's failures have one ErrorId each, whether an API call or a media download met them.</summary>
        public static readonly ErrorRow ProxyAuthenticationRequired = new ErrorRow("ZAiProxyAuthenticationRequired", ErrorCategory.AuthenticationError);

        public static readonly ErrorRow ProxyConnectionFailed = new ErrorRow("ZAiProxyConnectionFailed", ErrorCategory.ConnectionError);

        private static readonly Dictionary<ZAiErrorReason, ErrorRow> Api = new Dictionary<ZAiErrorReason, ErrorRow>
        {
            [ZAiErrorReason.Unknown] = new ErrorRow("ZAiApiError", ErrorCategory.NotSpecified),
            [ZAiErrorReason.ApiKeyMissing] = new ErrorRow("ZAiApiKeyMissing", ErrorCategory.AuthenticationError),
            [ZAiErrorReason.AuthenticationFailed] = new ErrorRow("ZAiAuthenticationFailed", ErrorCategory.AuthenticationError),
            [ZAiErrorReason.AccountProblem] = new ErrorRow("ZAiAccountProblem", ErrorCategory.PermissionDenied),
            [ZAiErrorReason.QuotaExceeded] = new ErrorRow("ZAiQuotaExceeded", ErrorCategory.QuotaExceeded),
            [ZAiErrorReason.UsageLimitReached] = new ErrorRow("ZAiUsageLimitReached", ErrorCategory.QuotaExceeded),
            [ZAiErrorReason.RateLimited] = new ErrorRow("ZAiRateLimited", ErrorCategory.LimitsExceeded),
            [ZAiErrorReason.QueueTimeout] = new ErrorRow("ZAiQueueTimeout", ErrorCategory.LimitsExceeded),
            [ZAiErrorReason.InvalidRequest] = new ErrorRow("ZAiInvalidRequest", ErrorCategory.InvalidArgument),
            [ZAiErrorReason.ContentRejected] = new ErrorRow("ZAiContentRejected", ErrorCategory.InvalidData),
            [ZAiErrorReason.NotFound] = new ErrorRow("ZAiTaskNotFound", ErrorCategory.ObjectNotFound),
            [ZAiErrorReason.EndpointNotFound] = new ErrorRow("ZAiEndpointNotFound", ErrorCategory.ObjectNotFound),
            [ZAiErrorReason.ServerError] = new ErrorRow("ZAiServerError", ErrorCategory.InvalidResult),
            [ZAiErrorReason.ServiceUnavailable] = new ErrorRow("ZAiServiceUnavailable", ErrorCategory.ConnectionError),
            [ZAiErrorReason.InvalidResponse] = new ErrorRow("ZAiInvalidResponse", ErrorCategory.InvalidResult),
            [ZAiErrorReason.ConnectionFailed] = new ErrorRow("ZAiConnectionFailed", ErrorCategory.ConnectionError),
            [ZAiErrorReason.Timeout] = new ErrorRow("ZAiTimeout", ErrorCategory.OperationTimeout),
            [ZAiErrorReason.DuplicateRequest] = new ErrorRow("ZAiDuplicateRequest", ErrorCategory.ResourceExists),
            [ZAiErrorReason.JournalWriteFailed] = new ErrorRow("ZAiJournalWriteFailed", ErrorCategory.WriteError),
            [ZAiErrorReason.SubmissionOutcomeUnknown] = new ErrorRow("ZAiSubmissionOutcomeUnknown", ErrorCategory.ResourceUnavailable),
            [ZAiErrorReason.TaskIdLost] = new ErrorRow("ZAiTaskIdLost", ErrorCategory.ResourceExists),
            [ZAiErrorReason.ProxyAuthenticationRequired] = ProxyAuthenticationRequired,
            [ZAiErrorReason.ProxyConnectionFailed] = ProxyConnectionFailed,
        };

        private static readonly Dictionary<MediaErrorReason, ErrorRow> Media = new Dictionary<MediaErrorReason, ErrorRow>
        {
            [MediaErrorReason.LinkExpired] = new ErrorRow("ZAiMediaLinkExpired", ErrorCategory.ResourceUnavailable),
            [MediaErrorReason.DownloadFailed] = new ErrorRow("ZAiMediaDownloadFailed", ErrorCategory.ConnectionError),
            [MediaErrorReason.LengthMismatch] = new ErrorRow("ZAiMediaLengthMismatch", ErrorCategory.InvalidData),
            [MediaErrorReason.WriteFailed] = new ErrorRow("ZAiMediaWriteFailed", ErrorCategory.WriteError),
            [MediaErrorReason.InvalidUrl] = new ErrorRow("ZAiInvalidMediaUrl", ErrorCategory.InvalidArgument),
            [MediaErrorReason.FileExists] = new ErrorRow("ZAiMediaFileExists", ErrorCategory.ResourceExists),
            [MediaErrorReason.NoMedia] = new ErrorRow("ZAiNoMedia", ErrorCategory.InvalidOperation),
            [MediaErrorReason.TooLarge] = new ErrorRow("ZAiMediaTooLarge", ErrorCategory.LimitsExceeded),
            [MediaErrorReason.TooSlow] = new ErrorRow("ZAiMediaTooSlow", ErrorCategory.OperationTimeout),
            [MediaErrorReason.UnexpectedContent] = new ErrorRow("ZAiMediaUnexpectedContent", ErrorCategory.InvalidData),
            [MediaErrorReason.ProxyAuthenticationRequired] = ProxyAuthenticationRequired,
            [MediaErrorReason.ProxyConnectionFailed] = ProxyConnectionFailed,
        };

        public static ErrorRow For(ZAiErrorReason reason) => Api.TryGetValue(reason, out var row) ? row : Api[ZAiErrorReason.Unknown];

        public static ErrorRow For(MediaErrorReason reason) => Media[reason];

        public static IEnumerable<ErrorRow> ApiRows => Api.Values;

        public static IEnumerable<ErrorRow> MediaRows => Media.Values;
    }
}
