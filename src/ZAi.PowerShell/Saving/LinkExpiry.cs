using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// What Save-ZAiMedia says about links past their estimated expiry (AsyncResult.ExpiresAt): a verbose line
    /// before it tries them (the estimate can be wrong, so they are still tried), and one ZAiMediaLinkExpired
    /// error per file the host refuses, naming the estimate.
    /// </summary>
    internal static class LinkExpiry
    {
        private static readonly Regex HttpStatus = new Regex(@"\bHTTP (\d{3})\b", RegexOptions.CultureInvariant);

        /// <summary>Links past their estimate, said before trying them (Save writes these to -Verbose: the error, if any, says the rest).</summary>
        public static IReadOnlyList<string> Warnings(IEnumerable<MediaItem> items, DateTime nowUtc)
        {
            return items
                .Where(item => item.Url != null && item.ExpiresAt.HasValue && item.ExpiresAt.Value <= nowUtc)
                .Select(item => $"The link of the {item.Describe()} is probably expired: {Links(item.Kind)} live {Lifetime(item.Kind)} after the task finished, and it expired about {Ago(nowUtc - item.ExpiresAt!.Value)} ago ({Stamp(item.ExpiresAt.Value)}). Trying it anyway.")
                .ToList();
        }

        /// <summary>
        /// The one message of a link the media host refused: what expired, when it was estimated to, and the one
        /// thing that helps. Other errors unchanged.
        /// </summary>
        public static ZAiMediaException Explain(ZAiMediaException error, MediaItem item, DateTime nowUtc)
        {
            if (error.Reason != MediaErrorReason.LinkExpired) return error;
            var match = HttpStatus.Match(error.Message);
            var status = match.Success ? match.Groups[1].Value : null;
            var what = $"The link of the {item.Describe()} has expired" + (status == "404" ? " or does not exist" : string.Empty) + (status is null ? "." : $" (HTTP {status}).");
            var lifetime = Lifetime(item.Kind);
            string when;
            if (!item.ExpiresAt.HasValue)
            {
                when = $"{Capital(Links(item.Kind))} live {lifetime} after the task finished.";
            }
            else if (item.ExpiresAt.Value <= nowUtc)
            {
                when = $"It was estimated to expire at {Stamp(item.ExpiresAt.Value)}, {Ago(nowUtc - item.ExpiresAt.Value)} ago ({Links(item.Kind)} live {lifetime} after the task finished).";
            }
            else
            {
                when = $"It was estimated to work until {Stamp(item.ExpiresAt.Value)}, counting {lifetime} from when this session first saw the task finished; the task had finished earlier.";
            }
            var help = $"An expired link cannot be renewed and fetching the task again returns the same link: submit the task again, and save its media within {lifetime} next time.";
            return new ZAiMediaException(error.Reason, what + " " + when + " " + help, error.Url, error.IsTransient, error.RetryAfter, error.InnerException);
        }

        private static string Links(MediaKind kind) => kind == MediaKind.Image ? "image links" : "video and cover links";

        private static string Lifetime(MediaKind kind) => kind == MediaKind.Image ? "30 days" : "1 day";

        private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);

        private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

        private static string Ago(TimeSpan span)
        {
            if (span.TotalDays >= 2) return ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + " days";
            if (span.TotalHours >= 2) return ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " hours";
            return Math.Max(1, (int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " minutes";
        }
    }
}
