using ZAi.PowerShell.Journal;
using System;
using System.Collections.Generic;
using System.IO;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>
    /// Wait-ZAiAsyncResult's side of the journal: a task that arrives with a Journal has its end (SUCCESS, or FAIL
    /// with the reason) recorded there before its result goes down the pipeline, and a task whose files the
    /// journal records as saved and still on disk is passed on without a request. A journal that cannot be
    /// written costs a warning, never a result.
    /// </summary>
    internal sealed class WaitLedger : IDisposable
    {
        private readonly object _lock = new object();
        private readonly HashSet<string> _ending = new HashSet<string>(StringComparer.Ordinal);
        private readonly JournalHandles _journals;
        private readonly Action<string> _warn;
        private readonly IClock _clock;
        private bool _warned;
        private bool _closed;

        /// <param name="warn">Says a warning (from any thread: the caller queues it to the cmdlet's thread).</param>
        /// <param name="clock">The time a task's end is recorded at; the system clock when null.</param>
        public WaitLedger(Action<string> warn, IClock? clock = null)
        {
            _warn = warn;
            _clock = clock ?? SystemClock.Instance;
            _journals = new JournalHandles((path, ex) => _warn($"The journal '{path}' of the input cannot be written ({ex.Message}); tasks are waited for without it."));
        }

        /// <summary>The journal a task came with, opened on first use; null when it came without one or the journal cannot be written. On the cmdlet's thread.</summary>
        /// <remarks>The caller keeps the journal with its task (rather than this ledger keeping a map of every task): a long run's tasks are let go once written.</remarks>
        public JournalFile? Open(string? journalPath) => journalPath is null ? null : _journals.Get(journalPath);

        /// <summary>Records the task's end in <paramref name="journal"/> (the one <see cref="Open"/> gave for it), if any and until Close. Any thread.</summary>
        public void Finished(JournalFile? journal, string taskId, bool succeeded, string? reason, DateTime? expiresUtc, int mediaFiles = 0)
        {
            if (journal is null) return;
            lock (_lock)
            {
                if (_closed) return;
                // Two threads that see the same end (a poll and a nudge) must not both write it.
                if (!_ending.Add(taskId)) return;
            }
            try
            {
                var entry = journal.FindTask(taskId);
                // Already recorded as ended (or saved): the journal says it once.
                if (entry != null && entry.State != LedgerState.Submitted && (succeeded || entry.State == LedgerState.Failed)) return;
                Append(journal, JournalRecord.Finished(taskId, succeeded, reason, expiresUtc, _clock.UtcNow, mediaFiles), taskId);
            }
            finally
            {
                lock (_lock) _ending.Remove(taskId);
            }
        }

        private void Append(JournalFile journal, JournalRecord record, string taskId)
        {
            try
            {
                journal.Append(record);
            }
            catch (IOException ex)
            {
                lock (_lock)
                {
                    if (_warned) return;
                    _warned = true;
                }
                _warn($"The journal '{journal.Path}' could not record that task '{TaskIdPath.Shown(taskId)}' ended ({ex.Message}); a re-run polls it again.");
            }
        }

        /// <summary>Lets go of the journals; returns those this command was the last in the process to use. An end seen later is not recorded.</summary>
        public IReadOnlyList<JournalFile> Close()
        {
            lock (_lock) _closed = true;
            return _journals.Close();
        }

        public void Dispose() => Close();
    }
}
