using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// What Save-ZAiMedia says about links past their estimated expiry (AsyncResult.ExpiresAt): a warning before
    /// it tries them (the estimate can be wrong, so they are still tried), and the estimate named in the
    /// ZAiMediaLinkExpired error when the host refuses one.
    /// </summary>
    internal static class LinkExpiry
    {
        public static IReadOnlyList<string> Warnings(IEnumerable<MediaItem> items, DateTime nowUtc)
        {
            return items
                .Where(item => item.Url != null && item.ExpiresAt.HasValue && item.ExpiresAt.Value <= nowUtc)
                .Select(item => $"The link of the {item.Describe()} is probably expired: {Lifetime(item.Kind)} it expired about {Ago(nowUtc - item.ExpiresAt!.Value)} ago ({Stamp(item.ExpiresAt.Value)}). Trying it anyway; if it fails, run Get-ZAiAsyncResult for fresh links.")
                .ToList();
        }

        /// <summary>The expired-link error with the estimate named, when there is one; other errors unchanged.</summary>
        public static ZAiMediaException Explain(ZAiMediaException error, MediaItem item, DateTime nowUtc)
        {
            if (error.Reason != MediaErrorReason.LinkExpired || !item.ExpiresAt.HasValue) return error;
            var expires = item.ExpiresAt.Value;
            var when = expires <= nowUtc
                ? $"By the module's estimate the link expired at {Stamp(expires)}, {Ago(nowUtc - expires)} ago ({Lifetime(item.Kind)})."
                : $"By the module's estimate the link should still work until {Stamp(expires)} ({Lifetime(item.Kind)}), so it may have been withdrawn early.";
            return new ZAiMediaException(error.Reason, error.Message + " " + when, error.Url, error.IsTransient, error.RetryAfter, error.InnerException);
        }

        private static string Lifetime(MediaKind kind) => kind == MediaKind.Image
            ? "image links live 30 days after the task finished, and"
            : "video and cover links live 1 day after the task finished, and";

        private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

        private static string Ago(TimeSpan span)
        {
            if (span.TotalDays >= 2) return ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + " days";
            if (span.TotalHours >= 2) return ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " hours";
            return Math.Max(1, (int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " minutes";
        }
    }
}
