using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// What the API documents about submission fields, checked before anything is sent. Each check throws an
    /// <see cref="ArgumentException"/> whose message names the parameter and the rule.
    /// </summary>
    internal static class GenerationRules
    {
        public const int MaxVideoPromptLength = 512;
        public const int MinUserIdLength = 6;
        public const int MaxUserIdLength = 128;
        public const int MinRequestIdLength = 6;
        public const int MaxRequestIdLength = 64;

        public static readonly string[] VideoQualities = { "speed", "quality" };
        public static readonly string[] ImageQualities = { "hd", "standard" };
        public static readonly int[] VideoFps = { 30, 60 };
        public static readonly int[] VideoDurations = { 5, 10 };

        /// <summary>The sizes cogvideox-3 documents.</summary>
        public static readonly string[] CogVideoSizes = { "1280x720", "720x1280", "1024x1024", "1920x1080", "1080x1920", "2048x1080", "3840x2160" };

        /// <summary>The sizes glm-image recommends; others are allowed within <see cref="CheckGlmImageSize"/>'s limits.</summary>
        public static readonly string[] GlmImageSizes = { "1280x1280", "1568x1056", "1056x1568", "1472x1088", "1088x1472", "1728x960", "960x1728" };

        private static readonly Regex SizePattern = new Regex(@"^(\d{2,5})x(\d{2,5})$", RegexOptions.CultureInvariant);

        public static void CheckPromptText(string prompt, int? maxLength)
        {
            if (prompt.Trim().Length == 0) throw new ArgumentException("-Prompt is empty: describe what to generate.");
            if (maxLength.HasValue && prompt.Length > maxLength.Value)
            {
                throw new ArgumentException($"-Prompt is {prompt.Length} characters long; the API takes at most {maxLength.Value}.");
            }
        }

        public static void CheckOneOf<T>(string parameter, T value, T[] allowed)
        {
            if (!allowed.Contains(value))
            {
                throw new ArgumentException($"{parameter} '{value}' is not allowed; use one of: {string.Join(", ", allowed)}.");
            }
        }

        public static void CheckUserId(string userId)
        {
            if (userId.Length < MinUserIdLength || userId.Length > MaxUserIdLength)
            {
                throw new ArgumentException($"-UserId is {userId.Length} characters long; the API takes {MinUserIdLength} to {MaxUserIdLength}.");
            }
        }

        /// <summary>
        /// The API takes a request_id of 6 to 64 characters (any but control characters; a leading '-' is fine, as the
        /// API's own ids show). Checked before the journal records the request, so a refused id is never journaled.
        /// </summary>
        public static void CheckRequestId(string requestId)
        {
            if (requestId.Trim().Length == 0) throw new ArgumentException("-RequestId is empty.");
            if (requestId.Any(char.IsControl)) throw new ArgumentException("-RequestId contains a control character.");
            var length = Characters(requestId);
            if (length < MinRequestIdLength || length > MaxRequestIdLength)
            {
                throw new ArgumentException($"-RequestId is {length} characters long; the API takes {MinRequestIdLength} to {MaxRequestIdLength}.");
            }
        }

        /// <summary>Unicode characters (code points), as the API counts them: a surrogate pair is one.</summary>
        public static int Characters(string text)
        {
            var count = text.Length;
            for (var i = 1; i < text.Length; i++)
            {
                if (char.IsLowSurrogate(text[i]) && char.IsHighSurrogate(text[i - 1])) count--;
            }
            return count;
        }

        /// <summary>Checks the WIDTHxHEIGHT form and returns the two numbers.</summary>
        public static (int Width, int Height) ParseSize(string size)
        {
            var match = SizePattern.Match(size);
            if (!match.Success) throw new ArgumentException($"-Size '{size}' is not WIDTHxHEIGHT in pixels, e.g. 1920x1080.");
            return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        public static void CheckVideoSize(string model, string size)
        {
            ParseSize(size);
            if (string.Equals(model, "cogvideox-3", StringComparison.OrdinalIgnoreCase) && !CogVideoSizes.Contains(size))
            {
                throw new ArgumentException($"-Size '{size}' is not a size cogvideox-3 offers; use one of: {string.Join(", ", CogVideoSizes)}.");
            }
        }

        /// <summary>glm-image: each side 1024 to 2048 pixels and a multiple of 32, at most 2^22 pixels in all.</summary>
        public static void CheckGlmImageSize(string size)
        {
            var (width, height) = ParseSize(size);
            if (width < 1024 || width > 2048 || height < 1024 || height > 2048 || width % 32 != 0 || height % 32 != 0 || (long)width * height > 4194304)
            {
                throw new ArgumentException(
                    $"-Size '{size}' is outside what glm-image takes: width and height from 1024 to 2048 pixels, each a multiple of 32, "
                    + $"at most 4194304 pixels in all (recommended: {string.Join(", ", GlmImageSizes)}).");
            }
        }
    }
}
