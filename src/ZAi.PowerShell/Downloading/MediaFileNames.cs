using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// Deterministic, safe file names: taskId.mp4, taskId.cover.jpg, taskId-2.png for the third image. Names are
    /// sanitised the same way on Windows and Linux, so nothing the server sends can leave the destination folder.
    /// </summary>
    internal static class MediaFileNames
    {
        public const string PartialSuffix = ".partial";
        private const int MaxStemLength = 120;
        private static readonly char[] Invalid = "<>:\"/\\|?*".ToCharArray();
        private static readonly HashSet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        };

        private static readonly Dictionary<string, string> ExtensionByContentType = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["video/mp4"] = ".mp4", ["video/quicktime"] = ".mov", ["video/webm"] = ".webm", ["video/x-matroska"] = ".mkv",
            ["image/jpeg"] = ".jpg", ["image/jpg"] = ".jpg", ["image/png"] = ".png", ["image/webp"] = ".webp", ["image/gif"] = ".gif",
        };

        private static readonly string[] VideoExtensions = { ".mp4", ".mov", ".webm", ".mkv", ".m4v" };
        private static readonly string[] ImageExtensions = { ".jpg", ".jpeg", ".png", ".webp", ".gif" };

        public static string BaseName(string taskId, MediaKind kind, int index)
        {
            var stem = SafeStem(taskId) + (index > 0 ? "-" + index : string.Empty);
            return kind == MediaKind.Cover ? stem + ".cover" : stem;
        }

        /// <summary>Every name this item could have been saved under, for the skip check of a re-run.</summary>
        public static IEnumerable<string> Candidates(MediaItem item) => AllowedExtensions(item.Kind).Select(ext => item.BaseName + ext);

        /// <summary>The extension: from Content-Type, else the URL path, else the kind's default.</summary>
        public static string Extension(MediaKind kind, string? contentType, string? url)
        {
            var mediaType = contentType?.Split(';')[0].Trim();
            if (mediaType != null && ExtensionByContentType.TryGetValue(mediaType, out var byType) && AllowedExtensions(kind).Contains(byType))
            {
                return byType;
            }
            if (url != null && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                var fromPath = Path.GetExtension(uri.AbsolutePath).ToLowerInvariant();
                if (fromPath == ".jpeg") fromPath = ".jpg";
                if (AllowedExtensions(kind).Contains(fromPath)) return fromPath;
            }
            return kind == MediaKind.Video ? ".mp4" : kind == MediaKind.Cover ? ".jpg" : ".png";
        }

        /// <summary>The extension of inline image bytes, from their signature; .png when it is not known.</summary>
        public static string ExtensionOfBytes(byte[] bytes)
        {
            var mediaType = ImageSignature.MediaType(bytes);
            return mediaType != null && ExtensionByContentType.TryGetValue(mediaType, out var extension) ? extension : ".png";
        }

        /// <summary>
        /// The full path of <paramref name="fileName"/> in <paramref name="folder"/>; throws InvalidOperationException if it
        /// would leave the folder and PathTooLongException if it is longer than Windows PowerShell 5.1 allows.
        /// </summary>
        public static string Within(string folder, string fileName) => Within(folder, fileName, PathLengthLimit.Current);

        internal static string Within(string folder, string fileName, PathLengthLimit limit)
        {
            var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var full = Path.GetFullPath(Path.Combine(root, fileName));
            if (!full.StartsWith(root, StringComparison.Ordinal) || full.IndexOfAny(new[] { '/', '\\' }, root.Length) >= 0)
            {
                throw new InvalidOperationException($"The file name '{fileName}' would leave the folder '{root}'.");
            }
            limit.CheckFile(full);
            return full;
        }

        internal static string SafeStem(string taskId)
        {
            var builder = new StringBuilder(taskId.Length);
            foreach (var c in taskId)
            {
                builder.Append(char.IsControl(c) || char.IsSurrogate(c) || Array.IndexOf(Invalid, c) >= 0 ? '_' : c);
            }
            // Windows drops trailing dots and spaces, and a leading dot hides a file: no stem starts or ends with either.
            var stem = builder.ToString().Trim('.', ' ');
            if (stem.Length > MaxStemLength) stem = stem.Substring(0, MaxStemLength).TrimEnd('.', ' ');
            if (stem.Length == 0) stem = "_";
            var device = stem.Split('.')[0];
            if (Reserved.Contains(device)) stem = "_" + stem;
            return stem;
        }

        private static string[] AllowedExtensions(MediaKind kind) => kind == MediaKind.Video ? VideoExtensions : ImageExtensions;
    }
}
