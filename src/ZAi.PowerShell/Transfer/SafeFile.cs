using System;
using System.IO;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// File operations that never follow a link: the destination folder may be shared, and a symbolic link (or
    /// other reparse point) planted at a name the module writes would otherwise redirect the write anywhere.
    /// New files are created exclusively (CreateNew: O_CREAT|O_EXCL on Unix, CREATE_NEW on Windows), which fails
    /// on any existing entry, link or not; existing names are checked with the link's own attributes.
    /// </summary>
    internal static class SafeFile
    {
        /// <summary>True when <paramref name="path"/> is a symbolic link or other reparse point, dangling or not.</summary>
        public static bool IsLink(string path)
        {
            try
            {
                // FileInfo reads the entry itself, so a dangling link is seen too. Most paths asked about do not exist
                // yet (a partial file, a final name): .NET answers -1 for those instead of throwing, which spares a
                // first-run an exception or more per file; .NET Framework throws, caught below.
                var attributes = new FileInfo(path).Attributes;
                return (int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return false;
            }
        }

        /// <summary>Throws <see cref="LinkRefusedException"/> when <paramref name="path"/> is a link.</summary>
        public static void RefuseLink(string path)
        {
            if (IsLink(path)) throw new LinkRefusedException(path);
        }

        /// <summary>Deletes a file (never a link's target: a link is refused, not deleted).</summary>
        public static void Delete(string path)
        {
            RefuseLink(path);
            if (File.Exists(path)) File.Delete(path);
        }

        /// <summary>Creates a new file; fails if anything, a link included, has the name.</summary>
        public static FileStream CreateNew(string path)
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: false);
        }

        /// <summary>Opens an existing regular file for writing; refuses a link.</summary>
        public static FileStream OpenExisting(string path)
        {
            RefuseLink(path);
            return new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None, 1, useAsync: false);
        }

        /// <summary>
        /// Gives <paramref name="source"/> the name <paramref name="destination"/> in one step, replacing a file there
        /// atomically (rename(2) on Unix, ReplaceFile on Windows): the destination never goes missing and is never a
        /// half-written file. Neither name may be a link.
        /// </summary>
        public static void MoveReplacing(string source, string destination)
        {
            RefuseLink(source);
            RefuseLink(destination);
            if (File.Exists(destination))
            {
                File.Replace(source, destination, destinationBackupFileName: null, ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(source, destination);
            }
        }
    }

    /// <summary>A name the module writes is a symbolic link or other reparse point.</summary>
    internal sealed class LinkRefusedException : IOException
    {
        public LinkRefusedException(string path)
            : base($"'{path}' is a symbolic link or other reparse point; files are never written through a link. Remove it or choose another folder.")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
