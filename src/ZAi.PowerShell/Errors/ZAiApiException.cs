using System;
using ZAi.PowerShell.Errors;

namespace ZAi
{
    /// <summary>
    /// A failed Z.AI call, whatever shape the error came in: HTTP status, business code (always a string),
    /// the API's message and its request id where known. Never carries the API key.
    /// </summary>
    public sealed class ZAiApiException : Exception
    {
        internal ZAiApiException(
            ZAiErrorReason reason,
            string message,
            int? statusCode = null,
            string? errorCode = null,
            string? apiMessage = null,
            string? requestId = null,
            bool isTransient = false,
            TimeSpan? retryAfter = null,
            Exception? innerException = null,
            string? limitResetsAt = null)
            : base(PowerShell.Errors.ServerText.Printable(message), innerException)
        {
            Reason = reason;
            StatusCode = statusCode;
            ErrorCode = errorCode;
            ApiMessage = PowerShell.Errors.ServerText.PrintableOrNull(apiMessage);
            RequestId = PowerShell.Errors.ServerText.PrintableOrNull(requestId);
            IsTransient = isTransient;
            RetryAfter = retryAfter;
            LimitResetsAt = limitResetsAt;
        }

        /// <summary>For a usage limit (ZAiUsageLimitReached): when it resets, as the API wrote it; null when it did not say.</summary>
        public string? LimitResetsAt { get; }

        /// <summary>The kind of failure; decides the ErrorId and ErrorCategory in PowerShell.</summary>
        public ZAiErrorReason Reason { get; }

        /// <summary>The HTTP status, or null when no response arrived.</summary>
        public int? StatusCode { get; }

        /// <summary>The API's business code as a string (e.g. "1302"), when the body had one.</summary>
        public string? ErrorCode { get; }

        /// <summary>The message the API sent, when it sent one.</summary>
        public string? ApiMessage { get; }

        /// <summary>The request id from the response body or headers, to quote to Z.AI support.</summary>
        public string? RequestId { get; }

        /// <summary>True for failures that a later attempt may not repeat (429, 5xx, timeouts, dropped connections).</summary>
        public bool IsTransient { get; }

        /// <summary>The delay the server asked for with Retry-After, when it did.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>True when the request never left this machine (the connection was refused before a byte was sent): resending it cannot create a second task.</summary>
        internal bool NothingSent { get; set; }

        /// <summary>The ErrorId PowerShell uses for this failure; stable across versions.</summary>
        public string ErrorId => ZAi.PowerShell.Errors.ErrorTable.For(Reason).ErrorId;
    }
}
