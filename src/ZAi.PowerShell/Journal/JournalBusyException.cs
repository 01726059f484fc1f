using System;
using System.IO;

namespace ZAi.PowerShell.Journal
{
    /// <summary>The journal is written by another process (its lock file is held): nothing may be sent or recorded through it.</summary>
    internal sealed class JournalBusyException : IOException
    {
        public JournalBusyException(string journalPath, string lockPath, Exception inner)
            : base(
                $"The journal '{journalPath}' is in use by another process (its lock file '{lockPath}' is held). "
                + "Two runs on one journal could pay for the same prompts twice or save over each other's files: wait for the other run to finish, or give another -Journal.",
                inner)
        {
            JournalPath = journalPath;
        }

        public string JournalPath { get; }
    }
}
