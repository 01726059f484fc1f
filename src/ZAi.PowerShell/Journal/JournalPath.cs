using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// What makes two spellings of a path name one file: the full path without a trailing separator, compared
    /// the way the platform's usual file system compares names (case-insensitively on Windows and macOS).
    /// </summary>
    internal static class JournalPath
    {
        /// <summary>Whether names differing only in case name one file here.</summary>
        public static bool CaseInsensitive { get; } =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>The key of <paramref name="path"/>: equal for every spelling of one file.</summary>
        public static string Key(string path, bool caseInsensitive)
        {
            var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return caseInsensitive ? full.ToUpperInvariant() : full;
        }

        public static string Key(string path) => Key(path, CaseInsensitive);
    }
}
