using System;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;

namespace ZAi.PowerShell.Client
{
    /// <summary>Reads Retry-After, given as delta seconds or as an HTTP date.</summary>
    internal static class RetryAfterHeader
    {
        public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
        {
            if (!headers.TryGetValues("Retry-After", out var values)) return null;
            return Parse(values.FirstOrDefault(), now);
        }

        public static TimeSpan? Parse(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            value = value!.Trim();
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                if (double.IsNaN(seconds)) return null;
            {
                return seconds <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0));
            }
            }
            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                var delay = date - now;
                return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay;
            }
            return null;
        }
    }
}
