using System;
using System.Net.Http;
using System.Net.Http.Headers;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>What an answer to a range request is.</summary>
    internal enum RangeVerdict
    {
        /// <summary>206 with exactly the bytes asked, of the same total length and version.</summary>
        Continues,
        /// <summary>200: the host ignored the range, or If-Range did not match (another version); the whole file follows.</summary>
        WholeFile,
        /// <summary>206 for another range, another total, another length, or another validator or none to compare.</summary>
        OtherRange,
        /// <summary>416 Range Not Satisfiable.</summary>
        NotSatisfiable,
        /// <summary>Any other status: an error, judged by <see cref="DownloadErrors.ForStatus"/>.</summary>
        Failed,
    }

    /// <summary>
    /// Classifies the answer to a request for bytes <c>from</c>..<c>to</c> of a file recorded as <c>total</c> bytes with
    /// validator <c>validator</c>, from its headers alone, so that no byte of another range or version is written.
    /// </summary>
    internal static class RangeResponse
    {
        /// <param name="to">The last byte asked (inclusive), or null for "to the end".</param>
        /// <param name="answered">
        /// The answer's validator in the recorded one's form (<see cref="MediaValidator.Answered"/>): its ETag when an
        /// ETag was recorded, its Last-Modified otherwise; null when it carries none.
        /// </param>
        public static RangeVerdict Classify(int status, long from, long? to, long? total, string validator, ContentRangeHeaderValue? range, long? contentLength, string? answered)
        {
            if (status == 200) return RangeVerdict.WholeFile;
            if (status == 416) return RangeVerdict.NotSatisfiable;
            if (status != 206) return RangeVerdict.Failed;
            if (range is null || !range.From.HasValue || !range.To.HasValue || !range.HasLength || total is null) return RangeVerdict.OtherRange;
            if (range.From.Value != from || range.Length != total) return RangeVerdict.OtherRange;
            var last = to ?? total.Value - 1;
            if (range.To.Value != last) return RangeVerdict.OtherRange;
            if (contentLength.HasValue && contentLength.Value != last - from + 1) return RangeVerdict.OtherRange;
            // A host may ignore If-Range and answer 206 from a file that changed: only the answer's own validator, the
            // same as the recorded one, shows these bytes belong with those already written. Without one, nothing does.
            if (answered is null || answered != validator) return RangeVerdict.OtherRange;
            return RangeVerdict.Continues;
        }

        /// <summary>Why a 206 does not continue the partial file, for messages.</summary>
        public static string Mismatch(HttpResponseMessage response, string recorded)
        {
            var answered = MediaValidator.Answered(response, recorded);
            if (answered != recorded)
            {
                return answered is null
                    ? $"it carries no {(MediaValidator.IsETag(recorded) ? "ETag" : "Last-Modified date")} to show it is of the same file"
                    : $"the file changed: {answered}, was {recorded}";
            }
            return "another range or length";
        }
    }
}
