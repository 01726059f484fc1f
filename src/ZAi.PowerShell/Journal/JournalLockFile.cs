using System;
using System.IO;
using System.Text;
using ZAi.PowerShell.Transfer;
namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// The lock file beside a journal (<c>&lt;journal&gt;.lock</c>), held open exclusively while a process writes
    /// the journal. It is never opened through a link (one planted there would otherwise have its target
    /// truncated), it is deleted when closed, and a stale one left by a killed process does not block: the
    /// operating system released its lock with the process.
    /// </summary>
    internal static class JournalLockFile
    {
        /// <exception cref="IOException">Another process holds the lock, or the lock's name is a link.</exception>
        public static FileStream Take(string journalPath)
        {
            var path = journalPath + JournalFile.LockSuffix;
            SafeFile.RefuseLink(path);
            FileStream lockFile;
            try
            {
                lockFile = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException ex) when (!(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException) && !(ex is PathTooLongException))
            {
                throw new JournalBusyException(journalPath, path, ex);
            }
            try
            {
                // Checked again on the open file's name: a link swapped in after the first check is refused too.
                SafeFile.RefuseLink(path);
                var note = Encoding.UTF8.GetBytes($"Locked by process {System.Diagnostics.Process.GetCurrentProcess().Id} at {DateTime.UtcNow:u}.\n");
                lockFile.SetLength(0);
                lockFile.Write(note, 0, note.Length);
                lockFile.Flush();
                return lockFile;
            }
            catch
            {
                lockFile.Dispose();
                throw;
            }
        }

        /// <summary>Closes (and so deletes) the lock file. Never throws.</summary>
        public static void Release(FileStream lockFile)
        {
            try
            {
                lockFile.Dispose();
            }
            catch (IOException)
            {
                // The lock is released with the handle whatever happens to the name.
            }
        }
    }
}
