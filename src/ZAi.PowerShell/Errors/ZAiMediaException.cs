using System;
using ZAi.PowerShell.Errors;

namespace ZAi
{
    /// <summary>Why one media file could not be saved. Each reason has a stable ErrorId.</summary>
    public enum MediaErrorReason
    {
        /// <summary>ZAiMediaLinkExpired: the host answered 403, 404 or 410; links expire (images after 30 days).</summary>
        LinkExpired,
        /// <summary>ZAiMediaDownloadFailed: the download failed after retries.</summary>
        DownloadFailed,
        /// <summary>ZAiMediaLengthMismatch: the body did not have the length the server announced.</summary>
        LengthMismatch,
        /// <summary>ZAiMediaWriteFailed: the file could not be written (permissions, disk, path).</summary>
        WriteFailed,
        /// <summary>ZAiInvalidMediaUrl: the link is not an absolute http or https URL.</summary>
        InvalidUrl,
        /// <summary>ZAiMediaFileExists: the file exists and -NoClobber was given.</summary>
        FileExists,
        /// <summary>ZAiNoMedia: the input holds nothing to save (still processing, failed, filtered out).</summary>
        NoMedia,
        /// <summary>ZAiMediaTooLarge: the file is larger than -MaximumFileSize (announced or received); the partial file is removed.</summary>
        TooLarge,
        /// <summary>ZAiMediaTooSlow: the file fell below the minimum throughput, its download deadline.</summary>
        TooSlow,
        /// <summary>ZAiMediaUnexpectedContent: the link answered something that is not media (an HTML page, JSON).</summary>
        UnexpectedContent,
        /// <summary>ZAiProxyAuthenticationRequired: the proxy answered HTTP 407 (it wants Connect-ZAi -ProxyCredential, or refused it).</summary>
        ProxyAuthenticationRequired,
        /// <summary>ZAiProxyConnectionFailed: no connection to the proxy, or the proxy would not connect to the media host.</summary>
        ProxyConnectionFailed,
    }

    /// <summary>A media file that could not be saved.</summary>
    public sealed class ZAiMediaException : Exception
    {
        internal ZAiMediaException(MediaErrorReason reason, string message, string? url = null, bool isTransient = false, TimeSpan? retryAfter = null, Exception? inner = null)
            : base(PowerShell.Errors.ServerText.Printable(message), inner)
        {
            Reason = reason;
            Url = url;
            IsTransient = isTransient;
            RetryAfter = retryAfter;
        }

        public MediaErrorReason Reason { get; }

        /// <summary>The link that failed.</summary>
        public string? Url { get; }

        /// <summary>True when a later attempt may succeed.</summary>
        public bool IsTransient { get; }

        public TimeSpan? RetryAfter { get; }

        public string ErrorId => ZAi.PowerShell.Errors.ErrorTable.For(Reason).ErrorId;
    }
}
