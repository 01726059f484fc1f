using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ZAi.PowerShell.Models;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Deterministic, safe file names: taskId.mp4, taskId.cover.jpg, taskId-2.png for the third image. Names are
    /// sanitised the same way on Windows and Linux, so nothing the server sends can leave the destination folder.
    /// </summary>
    internal static class MediaFileNames
    {
        public const string PartialSuffix = ".partial";

        /// <summary>
        /// In UTF-8 bytes, so that the longest name written (stem, hash, index, '.cover', extension,
        /// '.partial.validator') stays under the 255-byte limit of common file systems.
        /// </summary>
        internal const int MaxStemBytes = 120;
        private static readonly char[] Invalid = "<>:\"/\\|?*".ToCharArray();
        private static readonly HashSet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
        };

        private static readonly Dictionary<string, string> ExtensionByContentType = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["video/mp4"] = ".mp4", ["video/quicktime"] = ".mov", ["video/webm"] = ".webm", ["video/x-matroska"] = ".mkv",
            ["image/jpeg"] = ".jpg", ["image/jpg"] = ".jpg", ["image/png"] = ".png", ["image/webp"] = ".webp", ["image/gif"] = ".gif",
        };

        /// <summary>
        /// What follows the task id in the names Save gives most often (taskId.mp4, taskId.cover.jpg, taskId.png): the
        /// journal's index keeps such a name as the id and one of these, without a string of its own.
        /// </summary>
        internal static readonly string[] DefaultSuffixes = { ".mp4", ".cover.jpg", ".png", ".jpg", ".cover.png" };

        private static readonly string[] VideoExtensions = { ".mp4", ".mov", ".webm", ".mkv", ".m4v" };
        private static readonly string[] ImageExtensions = { ".jpg", ".jpeg", ".png", ".webp", ".gif" };

        /// <param name="distinct">Add the id's hash even when the stem is the id itself (a name another task of the same call has).</param>
        public static string BaseName(string taskId, MediaKind kind, int index, bool distinct = false)
        {
            var stem = Stem(taskId, distinct) + (index > 0 ? "-" + index : string.Empty);
            return kind == MediaKind.Cover ? stem + ".cover" : stem;
        }

        /// <summary>
        /// The file name stem of a task id: the id itself when it is a safe name, else its safe form plus '-' and the
        /// first 8 hex digits of the id's SHA-256, so that ids that sanitise alike ('a/b', 'a:b') never share a name.
        /// </summary>
        internal static string Stem(string taskId, bool distinct = false)
        {
            var stem = SafeStem(taskId);
            // The id's own string when it is safe: a long run's names (and the claims that hold them) keep no copy of it.
            return stem == taskId && !distinct ? taskId : stem + "-" + Hash(taskId);
        }

        internal static string Hash(string taskId)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(taskId));
            return FileSha256.Hex(digest, 4);
        }

        /// <summary>Every name this item could have been saved under, for the skip check of a re-run.</summary>
        public static IEnumerable<string> Candidates(MediaItem item) => AllowedExtensions(item.Kind).Select(ext => item.BaseName + ext);

        /// <summary>
        /// The path of the file this item was already saved as, for the skip check of a re-run; null when there is none.
        /// </summary>
        /// <exception cref="InvalidOperationException">A link has one of the names: it is neither skipped as saved nor written through.</exception>
        public static string? Existing(string folder, MediaItem item)
        {
            foreach (var path in Candidates(item).Select(name => Within(folder, name)))
            {
                if (SafeFile.IsLink(path)) throw new InvalidOperationException(new LinkRefusedException(path).Message);
                if (File.Exists(path)) return path;
            }
            return null;
        }

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

        /// <summary>The id as a safe, readable name: may be the same for several ids; see <see cref="Stem"/>.</summary>
        internal static string SafeStem(string taskId) => SafeStem(taskId, MaxStemBytes);

        /// <summary>As <see cref="SafeStem(string)"/>, cut at <paramref name="maxBytes"/> UTF-8 bytes (to leave room for a suffix that must survive).</summary>
        internal static string SafeStem(string taskId, int maxBytes)
        {
            var builder = new StringBuilder(taskId.Length);
            var bytes = 0;
            for (var i = 0; i < taskId.Length; i++)
            {
                var c = taskId[i];
                if (IsInvisibleFormat(c)) continue; // bidi overrides and zero-width characters disguise a name
                // A character beyond the BMP (an emoji, a rare CJK ideograph) is a surrogate pair: kept whole. Only a
                // lone surrogate, which no file system can store as text, is replaced.
                if (char.IsHighSurrogate(c) && i + 1 < taskId.Length && char.IsLowSurrogate(taskId[i + 1]))
                {
                    bytes += 4;
                    if (bytes > MaxStemBytes) break;
                    builder.Append(c).Append(taskId[++i]);
                    continue;
                }
                var safe = char.IsControl(c) || char.IsSurrogate(c) || Array.IndexOf(Invalid, c) >= 0 ? '_' : c;
                bytes += safe < 0x80 ? 1 : safe < 0x800 ? 2 : 3;
                if (bytes > maxBytes) break;
                builder.Append(safe);
            }
            // Windows drops trailing dots and spaces, and a leading dot hides a file: no stem starts or ends with either.
            var stem = builder.ToString().Trim('.', ' ');
            if (stem.Length == 0) stem = "_";
            // Windows opens a device for its name followed by any extension, spaces before the dot included ('CON .x').
            var device = stem.Split('.')[0].TrimEnd(' ');
            if (Reserved.Contains(device)) stem = "_" + stem;
            return stem;
        }

        /// <summary>Bidirectional overrides and isolates, zero-width characters and the BOM.</summary>
        private static bool IsInvisibleFormat(char c)
        {
            return (c >= '\u200B' && c <= '\u200F') || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2060' && c <= '\u2069')
                || c == '\uFEFF' || c == '\u061C' || c == '\u180E' || c == '\u00AD';
        }

        private static string[] AllowedExtensions(MediaKind kind) => kind == MediaKind.Video ? VideoExtensions : ImageExtensions;
    }
}
