using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// Whether two spellings name one folder, compared the way the file system does: without case on Windows and
    /// macOS (whose default volumes are case-insensitive), with case elsewhere. Tests inject the comparison to
    /// stand for another platform.
    /// </summary>
    internal static class FolderNames
    {
        /// <summary>The comparison of this platform's default file system.</summary>
        public static StringComparer Current { get; } = For(
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX));

        public static StringComparer For(bool caseInsensitive) => caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>The folder as compared: full, without a trailing separator (the root keeps its own).</summary>
        public static string Normal(string folder)
        {
            var full = Path.GetFullPath(folder);
            var trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return trimmed.Length == 0 || trimmed.EndsWith(":", StringComparison.Ordinal) ? full : trimmed;
        }

        /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are one folder under <paramref name="comparer"/>.</summary>
        public static bool Same(string a, string b, StringComparer comparer) => comparer.Equals(Normal(a), Normal(b));

        /// <summary>True when the file <paramref name="path"/> is directly in <paramref name="folder"/>.</summary>
        public static bool Holds(string folder, string path, StringComparer comparer)
        {
            var parent = Path.GetDirectoryName(path);
            return parent != null && Same(folder, parent, comparer);
        }
    }
}
