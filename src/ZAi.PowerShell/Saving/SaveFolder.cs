using System;
using System.IO;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// The destination folder as Save-ZAiMedia finds it before the first file: created when missing, and proven
    /// writable by creating and removing one file, so a folder that cannot be written is one error naming it,
    /// not one error per file naming internal files. Also words a full disk: free space, run again, it resumes.
    /// </summary>
    internal static class SaveFolder
    {
        /// <returns>Null when files can be written in <paramref name="folder"/>; else why not, with what to do.</returns>
        public static string? Problem(string folder)
        {
            try
            {
                Directory.CreateDirectory(folder);
                var probe = Path.Combine(folder, ".zai-write-check-" + Guid.NewGuid().ToString("n").Substring(0, 8) + ".tmp");
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException)
            {
                return Describe(folder, ex);
            }
        }

        public static string Describe(string folder, Exception ex) => IsDiskFull(ex)
            ? $"Cannot save into the folder '{folder}': its disk is full ({ex.Message}). Free space and run the command again; nothing was downloaded."
            : $"Cannot save into the folder '{folder}': {ex.Message} Nothing was downloaded. Give -Path a folder you can write to (or fix the folder's permissions) and run the command again.";

        /// <summary>True when <paramref name="ex"/>, or an exception inside it, says the disk is full (ENOSPC, ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL).</summary>
        public static bool IsDiskFull(Exception? ex)
        {
            for (; ex != null; ex = ex.InnerException)
            {
                if (!(ex is IOException)) continue;
                var code = ex.HResult & 0xFFFF;
                var windows = (ex.HResult & unchecked((int)0xFFFF0000)) == unchecked((int)0x80070000);
                if (windows && (code == 112 || code == 39)) return true;
                if (!windows && ex.HResult == 28) return true;
            }
            return false;
        }

        /// <summary>A write failure on a full disk, told as such: the partial file is kept, so a re-run resumes it.</summary>
        public static ZAiMediaException ExplainDiskFull(ZAiMediaException error, MediaItem item, string folder)
        {
            if (error.Reason != MediaErrorReason.WriteFailed || !IsDiskFull(error)) return error;
            return new ZAiMediaException(MediaErrorReason.WriteFailed,
                $"The disk holding '{folder}' is full: the {item.Describe()} could not be written. Free space and run the command again; the download resumes where it stopped.",
                error.Url, inner: error);
        }
    }
}
