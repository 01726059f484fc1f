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
        private readonly Dictionary<string, JournalFile> _byTask = new Dictionary<string, JournalFile>(StringComparer.Ordinal);
        private readonly Action<string> _warn;
        private readonly IClock _clock;
        private bool _warned;

        /// <param name="warn">Says a warning (from any thread: the caller queues it to the cmdlet's thread).</param>
        /// <param name="clock">The time a task's end is recorded at; the system clock when null.</param>
        public WaitLedger(Action<string> warn, IClock? clock = null)
        {
            _warn = warn;
            _clock = clock ?? SystemClock.Instance;
            _journals = new JournalHandles((path, ex) => _warn($"The journal '{path}' of the input cannot be written ({ex.Message}); tasks are waited for without it."));
        }

        /// <summary>Notes that <paramref name="taskId"/> came with <paramref name="journalPath"/>; returns its entry there, if any. On the cmdlet's thread.</summary>
        public LedgerEntry? Track(string taskId, string? journalPath)
        {
            if (journalPath is null) return null;
            var journal = _journals.Get(journalPath);
            if (journal is null) return null;
            lock (_lock) _byTask[taskId] = journal;
            return journal.FindTask(taskId);
        }

        /// <summary>Whether the task came with a journal that is open for writing. Any thread.</summary>
        public bool IsJournaled(string taskId)
        {
            lock (_lock) return _byTask.ContainsKey(taskId);
        }

        /// <summary>Records the task's end in its journal, if it came with one. Any thread.</summary>
        public void Finished(string taskId, bool succeeded, string? reason, DateTime? expiresUtc, int mediaFiles = 0)
        {
            JournalFile? journal;
            lock (_lock)
            {
                if (!_byTask.TryGetValue(taskId, out journal)) return;
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

        /// <summary>Lets go of the journals; returns those this command was the last in the process to use.</summary>
        public IReadOnlyList<JournalFile> Close()
        {
            lock (_lock) _byTask.Clear();
            return _journals.Close();
        }

        public void Dispose()
        {
            _journals.Dispose();
            lock (_lock) _byTask.Clear();
        }
    }
}
