using System.Text.RegularExpressions;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Reads the reset time out of a usage-limit message, e.g. "Weekly/Monthly Limit Exhausted. Your limit will
    /// reset at 2026-03-06 22:19:54", and says it in the error. The API does not say which time zone it means,
    /// so the time is quoted as the API wrote it.
    /// </summary>
    internal static class UsageLimitMessage
    {
        private static readonly Regex ResetAt = new Regex(
            @"reset\w*\s+(?:at|on)\s+(?<when>\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The reset time as the API wrote it, or null when the message has none.</summary>
        public static string? ResetTime(string? apiMessage)
        {
            if (apiMessage is null) return null;
            var match = ResetAt.Match(apiMessage);
            return match.Success ? match.Groups["when"].Value.Trim() : null;
        }

        /// <summary>The sentence added to the error message.</summary>
        public static string Explain(string? code, string? resetTime)
        {
            var what = code == "1313"
                ? "The account is blocked for fair use"
                : "The account's usage limit is exhausted";
            return resetTime is null
                ? $" {what}; it is not retried, because retrying before the limit resets fails the same way."
                : $" {what} until {resetTime} (the API's time); it is not retried before then.";
        }
    }
}
