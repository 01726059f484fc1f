using System;
using System.Globalization;
using System.Net.Http;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>The errors of one media download, worded in one place.</summary>
    internal static class DownloadErrors
    {
        public static ZAiMediaException Transient(MediaItem item, string what, TimeSpan? retryAfter = null) =>
            new ZAiMediaException(MediaErrorReason.DownloadFailed, $"Downloading the {item.Describe()}: {what}.", item.Url, isTransient: true, retryAfter: retryAfter);

        /// <summary>The request failed at the proxy: the message names the proxy, not the media host.</summary>
        public static ZAiMediaException Proxy(MediaItem item, ProxyFailureException failure) =>
            new ZAiMediaException(
                failure.Kind == ProxyFailureKind.AuthenticationRequired ? MediaErrorReason.ProxyAuthenticationRequired : MediaErrorReason.ProxyConnectionFailed,
                $"Downloading the {item.Describe()}: {failure.Message}.",
                item.Url,
                isTransient: failure.IsTransient);

        public static ZAiMediaException ShortBody(MediaItem item, Uri uri, long received, long expected, string? why = null) =>
            new ZAiMediaException(MediaErrorReason.LengthMismatch,
                why is null
                    ? $"The {item.Describe()} is {received} bytes but {uri.Host} announced {expected}."
                    : $"Downloading the {item.Describe()}: the body from {uri.Host} ended after {received} of {expected} bytes ({why}).",
                item.Url, isTransient: true);

        /// <summary>What a status other than 200, 206 and 416 means: an expired link, a transient failure or a refusal.</summary>
        public static ZAiMediaException ForStatus(MediaItem item, Uri uri, HttpResponseMessage response)
        {
            var status = (int)response.StatusCode;
            if (status == 403 || status == 404 || status == 410)
            {
                return new ZAiMediaException(
                    MediaErrorReason.LinkExpired,
                    $"The link of the {item.Describe()} answered HTTP {status}: it has expired or does not exist. Z.AI media links are temporary (images expire 30 days after generation); run Get-ZAiAsyncResult again for fresh links.",
                    item.Url);
            }
            if (status == 408 || status == 429 || status >= 500)
            {
                return Transient(item, $"{uri.Host} answered HTTP {status}", RetryAfterHeader.Read(response.Headers, DateTimeOffset.UtcNow));
            }
            return new ZAiMediaException(MediaErrorReason.DownloadFailed, $"The link of the {item.Describe()} answered HTTP {status} {response.ReasonPhrase}.", item.Url);
        }

        public static ZAiMediaException TooLarge(MediaItem item, DownloadLimits limits, string what) =>
            new ZAiMediaException(MediaErrorReason.TooLarge,
                $"The {item.Describe()} is larger than -MaximumFileSize ({limits.MaximumFileSize} bytes): {what}. The partial file was removed; raise -MaximumFileSize if the file is expected to be this large.",
                item.Url);

        public static ZAiMediaException NotMedia(MediaItem item, string what) =>
            new ZAiMediaException(MediaErrorReason.UnexpectedContent,
                $"The link of the {item.Describe()} answered {what}, not a {item.Kind.ToString().ToLowerInvariant()} file; nothing was saved. The link may need a login or the host may be failing.",
                item.Url);

        public static ZAiMediaException TooSlow(MediaItem item, Uri uri, FileRun run, TimeSpan elapsed, DownloadLimits limits, long kept, Exception? inner) =>
            new ZAiMediaException(MediaErrorReason.TooSlow,
                $"Downloading the {item.Describe()}: {uri.Host} sent {run.Received} bytes in {elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s, "
                + $"below the minimum throughput ({limits.DescribeDeadline()}){Kept(kept)}.",
                item.Url, inner: inner);

        public static ZAiMediaException WriteFailed(MediaItem item, string path, Exception ex)
        {
            var why = ex is LinkRefusedException ? ex.Message : $"Could not write the {item.Describe()} to '{path}': {ex.Message}";
            return new ZAiMediaException(MediaErrorReason.WriteFailed, ex is LinkRefusedException ? $"Could not save the {item.Describe()}: {why}" : why, item.Url, inner: ex);
        }

        /// <summary>"; the partial file ... is kept" only when bytes were kept: a failure before the first byte leaves none.</summary>
        public static string Kept(long bytes) =>
            bytes > 0 ? $"; the partial file ({bytes} bytes) is kept and the next run resumes it" : string.Empty;

        public static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }

    /// <summary>
    /// A host answered a range request with something other than that range of the same file (200, another range,
    /// another length or validator, 416): the ranged download is abandoned and the file fetched over one connection.
    /// </summary>
    internal sealed class RangesRefusedException : Exception
    {
        public RangesRefusedException(string message)
            : base(message)
        {
        }
    }
}
