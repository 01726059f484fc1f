using System;
using System.Net.Http.Headers;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>What an answer to a range request is.</summary>
    internal enum RangeVerdict
    {
        /// <summary>206 with exactly the bytes asked, of the same total length and version.</summary>
        Continues,
        /// <summary>200: the host ignored the range, or If-Range did not match (another version); the whole file follows.</summary>
        WholeFile,
        /// <summary>206 for another range, another total, another length or another ETag.</summary>
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
        /// <param name="etag">The response's ETag, if any.</param>
        public static RangeVerdict Classify(int status, long from, long? to, long? total, string validator, ContentRangeHeaderValue? range, long? contentLength, string? etag)
        {
            if (status == 200) return RangeVerdict.WholeFile;
            if (status == 416) return RangeVerdict.NotSatisfiable;
            if (status != 206) return RangeVerdict.Failed;
            if (range is null || !range.From.HasValue || !range.To.HasValue || !range.HasLength || total is null) return RangeVerdict.OtherRange;
            if (range.From.Value != from || range.Length != total) return RangeVerdict.OtherRange;
            var last = to ?? total.Value - 1;
            if (range.To.Value != last) return RangeVerdict.OtherRange;
            if (contentLength.HasValue && contentLength.Value != last - from + 1) return RangeVerdict.OtherRange;
            // When both sides name an ETag it must be the same one (a Last-Modified validator was already checked by If-Range).
            var recordedEtag = validator.StartsWith("\"", StringComparison.Ordinal) || validator.StartsWith("W/", StringComparison.Ordinal);
            if (etag != null && recordedEtag && etag != validator) return RangeVerdict.OtherRange;
            return RangeVerdict.Continues;
        }
    }
}
