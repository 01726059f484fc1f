using System;
using System.Collections.Generic;
using System.IO;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// The journals this process writes, one writer per file shared by every command and runspace that uses it
    /// (a Start, the Wait and Save after it, thread jobs of one batch): they append to one ledger under one lock,
    /// while another process still finds the journal in use. The writer closes when its last user lets go.
    /// </summary>
    internal static class SharedJournals
    {
        private static readonly object Lock = new object();
        // Keyed by the file (JournalPath.Key), not by the spelling of its path: two spellings, one writer.
        private static readonly Dictionary<string, Shared> ByFile = new Dictionary<string, Shared>(StringComparer.Ordinal);

        /// <summary>The process's writer of <paramref name="fullPath"/>, opened (and locked) by the first user.</summary>
        /// <param name="readBefore">The journal as the caller read it without the lock: the first user's writer reads on from it (see <see cref="JournalFile.OpenForWriting"/>); ignored when the process has a writer already.</param>
        /// <exception cref="IOException">Another process holds the journal, or it cannot be opened.</exception>
        public static JournalHandle Open(string fullPath, Func<string, Stream>? open = null, JournalFile? readBefore = null)
        {
            var key = JournalPath.Key(fullPath);
            lock (Lock)
            {
                if (!ByFile.TryGetValue(key, out var shared))
                {
                    shared = new Shared(JournalFile.OpenForWriting(fullPath, open, readBefore));
                    ByFile[key] = shared;
                }
                shared.Users++;
                return new JournalHandle(shared.Journal, () => Release(key, shared));
            }
        }

        /// <summary>Whether this process has the journal open (for tests).</summary>
        internal static bool IsOpen(string fullPath)
        {
            lock (Lock) return ByFile.ContainsKey(JournalPath.Key(fullPath));
        }

        /// <returns>True when this was the last user: the journal is closed.</returns>
        private static bool Release(string key, Shared shared)
        {
            // Closed under the lock: a runspace opening the journal the moment the last user lets go must find it
            // either still shared or closed with its lock file gone, never "in use by another process".
            lock (Lock)
            {
                if (--shared.Users > 0) return false;
                ByFile.Remove(key);
                shared.Journal.Dispose();
                return true;
            }
        }

        private sealed class Shared
        {
            public Shared(JournalFile journal)
            {
                Journal = journal;
            }

            public JournalFile Journal { get; }

            public int Users { get; set; }
        }
    }

    /// <summary>One user's hold on a shared journal writer; disposing it lets go (once).</summary>
    internal sealed class JournalHandle : IDisposable
    {
        private Func<bool>? _release;

        public JournalHandle(JournalFile journal, Func<bool> release)
        {
            Journal = journal;
            _release = release;
        }

        public JournalFile Journal { get; }

        /// <summary>Lets go; true when this was the journal's last user in the process (the one to report where its batch stands).</summary>
        public bool Release() => System.Threading.Interlocked.Exchange(ref _release, null)?.Invoke() ?? false;

        public void Dispose() => Release();
    }
}
