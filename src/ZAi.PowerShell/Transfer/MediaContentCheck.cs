using System;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Recognises a body that is not media at all, such as a CDN's HTML error or login page answered with 200, so
    /// that it is never saved as '.mp4' or '.png'. Checked on the Content-Type and on the first bytes: no video or
    /// image format starts with an HTML or XML tag.
    /// </summary>
    internal static class MediaContentCheck
    {
        /// <summary>Null when the Content-Type may be media; otherwise a description of what it is.</summary>
        public static string? ProblemWithType(string? contentType)
        {
            var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(mediaType)) return null;
            if (mediaType!.StartsWith("text/", StringComparison.Ordinal)
                || mediaType == "application/json" || mediaType == "application/xml" || mediaType == "application/xhtml+xml"
                || mediaType.EndsWith("+json", StringComparison.Ordinal) || (mediaType.EndsWith("+xml", StringComparison.Ordinal) && mediaType != "image/svg+xml"))
            {
                return $"a {mediaType} document";
            }
            return null;
        }

        private static readonly string[] MarkupStarts = { "<!doctype", "<html", "<?xml", "<head", "<body", "<!--" };

        /// <summary>Null when the first bytes may be media; otherwise a description of what they are.</summary>
        public static string? ProblemWithBytes(byte[] buffer, int count)
        {
            var i = 0;
            if (count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) i = 3; // UTF-8 BOM
            while (i < count && (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\r' || buffer[i] == '\n')) i++;
            foreach (var start in MarkupStarts)
            {
                if (count - i < start.Length) continue;
                var matches = true;
                for (var j = 0; j < start.Length && matches; j++)
                {
                    matches = char.ToLowerInvariant((char)buffer[i + j]) == start[j];
                }
                if (matches) return "an HTML or XML document";
            }
            return null;
        }
    }
}
