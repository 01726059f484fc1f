using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// What proves that two answers of a media host are of the same version of a file (RFC 9110 section 8.8). Only a
    /// strong validator may join bytes of two answers: a strong ETag, or else a Last-Modified the answer's own Date
    /// shows is at least one second old (8.8.2.2: otherwise the file may change again within the same second and keep
    /// its date). A weak ETag (W/) may not be sent as If-Range at all (13.1.5), nor may a date beside it.
    /// </summary>
    internal static class MediaValidator
    {
        /// <summary>The strong validator of a whole-file answer, as recorded and sent as If-Range; null with the reason when there is none.</summary>
        public static string? Strong(HttpResponseMessage response, out string? weakness)
        {
            var etag = response.Headers.ETag;
            var lastModified = response.Content.Headers.LastModified;
            var date = response.Headers.Date;
            weakness = null;
            if (etag != null)
            {
                if (!etag.IsWeak) return Usable(etag.ToString(), ref weakness);
                weakness = $"it sends only a weak ETag ({etag})";
                return null;
            }
            if (lastModified is null)
            {
                weakness = "it sends neither an ETag nor a Last-Modified date";
                return null;
            }
            if (date is null || date.Value - lastModified.Value < TimeSpan.FromSeconds(1))
            {
                weakness = "it sends only a Last-Modified date that is not a second older than the answer, so the file may still change without a new date";
                return null;
            }
            return Usable(Format(lastModified.Value), ref weakness);
        }

        /// <summary>
        /// The validator an answer carries in the form <paramref name="recorded"/> has: its ETag when an ETag was
        /// recorded, its Last-Modified otherwise; null when it carries none.
        /// </summary>
        public static string? Answered(HttpResponseMessage response, string recorded) =>
            IsETag(recorded)
                ? response.Headers.ETag?.ToString()
                : response.Content.Headers.LastModified is DateTimeOffset date ? Format(date) : null;

        /// <summary>True for an entity tag ("..." or W/"..."), false for a date.</summary>
        public static bool IsETag(string validator) =>
            validator.StartsWith("\"", StringComparison.Ordinal) || validator.StartsWith("W/", StringComparison.Ordinal);

        public static string Format(DateTimeOffset date) => date.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

        private static string? Usable(string validator, ref string? weakness)
        {
            // It becomes a request header: a validator with a control character is no validator.
            if (!validator.Any(char.IsControl)) return validator;
            weakness = "its validator holds control characters";
            return null;
        }
    }
}
