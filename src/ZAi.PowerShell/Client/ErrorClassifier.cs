using System.Globalization;

namespace ZAi.PowerShell.Client
{
    /// <summary>Places an HTTP status and business code into a <see cref="ZAiErrorReason"/> and decides whether to retry.</summary>
    internal static class ErrorClassifier
    {
        /// <summary>Usage limits that pass only when the plan's period resets: 1308, 1309, 1310, and the fair-use block 1313.</summary>
        public static bool IsUsageLimit(string? code) => code == "1308" || code == "1309" || code == "1310" || code == "1313";

        public static ZAiErrorReason Classify(int? status, string? code)
        {
            if (IsUsageLimit(code)) return ZAiErrorReason.UsageLimitReached;
            if (status == 401) return ZAiErrorReason.AuthenticationFailed;
            if (status == 404) return ZAiErrorReason.NotFound;

            if (int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var business))
            {
                if (business >= 1000 && business <= 1004) return ZAiErrorReason.AuthenticationFailed;
                if (business == 1113) return ZAiErrorReason.QuotaExceeded;
                if (business >= 1110 && business <= 1121) return ZAiErrorReason.AccountProblem;
                if (business == 1231) return ZAiErrorReason.DuplicateRequest;
                if (business >= 1210 && business <= 1234) return ZAiErrorReason.InvalidRequest;
                if (business == 1301) return ZAiErrorReason.ContentRejected;
                if (business >= 1302 && business <= 1305) return ZAiErrorReason.RateLimited;
            }

            switch (status)
            {
                case null:
                    return ZAiErrorReason.Unknown;
                case 400:
                case 422:
                    return ZAiErrorReason.InvalidRequest;
                case 403:
                    return ZAiErrorReason.AccountProblem;
                case 408:
                    return ZAiErrorReason.Timeout;
                case 429:
                    return ZAiErrorReason.RateLimited;
                case 502:
                case 503:
                case 504:
                    return ZAiErrorReason.ServiceUnavailable;
            }
            return status >= 500 ? ZAiErrorReason.ServerError : ZAiErrorReason.Unknown;
        }

        /// <summary>
        /// Retry 408, 429, any 5xx, and the limit codes that pass with time (1302 concurrency, 1303 frequency,
        /// 1305 overload), even inside HTTP 200. Never other 4xx, a daily limit (1304), an empty balance (1113) or a
        /// usage limit (1308-1310, 1313), whatever the status: those come with HTTP 429 but do not pass with time.
        /// </summary>
        public static bool IsTransient(int? status, string? code)
        {
            if (code == "1113" || code == "1304" || IsUsageLimit(code)) return false;
            if (code == "1302" || code == "1303" || code == "1305") return true;
            return status == 408 || status == 429 || status >= 500;
        }
    }
}
