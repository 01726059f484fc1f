using ZAi.PowerShell.Journal;
using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Timing;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// Save-ZAiMedia's side of the journal: inputs that carry a Journal (results of a journaled submission, or
    /// Get-ZAiJournal entries) have each saved file recorded in it (with its SHA-256 when this run wrote it), and
    /// a task whose links expired before its files were saved is recorded as expired. A journal is opened on the
    /// cmdlet's thread when its first input arrives, and the names it gave to files in this folder are then
    /// reserved for their tasks before any name is claimed. Folders are compared the way the file system does.
    /// A journal that cannot be written costs a warning (said through <c>warn</c>, which the caller hands to the
    /// cmdlet's thread), never a file.
    /// </summary>
    internal sealed class SaveLedger : IDisposable
    {
        private readonly object _lock = new object();
        private readonly string _folder;
        private readonly FileNameClaims _names;
        private readonly Action<string> _warn;
        private readonly IClock _clock;
        private readonly JournalHandles _journals;
        private readonly Dictionary<string, JournalFile?> _opened = new Dictionary<string, JournalFile?>(StringComparer.Ordinal);
        private readonly HashSet<string> _expired = new HashSet<string>(StringComparer.Ordinal);
        // Journals whose names are not reserved yet: only a claim needs them, and a re-run whose files are all on disk
        // claims none, so it never walks every saved line nor holds a name per file.
        private readonly List<JournalFile> _unreserved = new List<JournalFile>();
        private bool _warned;

        /// <param name="warn">Says a warning; called from any thread, so it must hand the message to the cmdlet's thread.</param>
        /// <param name="folders">How folder names compare (<see cref="FolderNames.Current"/>; tests inject another platform's).</param>
        /// <param name="clock">The time saved and expired lines are stamped with; the system clock when null.</param>
        public SaveLedger(string folder, FileNameClaims names, Action<string> warn, StringComparer? folders = null, IClock? clock = null)
        {
            _clock = clock ?? SystemClock.Instance;
            _folder = folder;
            _names = names;
            _warn = warn;
            Folders = folders ?? FolderNames.Current;
            _journals = new JournalHandles(
                (path, ex) => _warn($"The journal '{path}' of the input cannot be written ({ex.Message}); files are saved without it."));
        }

        public StringComparer Folders { get; }

        /// <summary>Opens the input's journal and returns the input's task there, if any (its names are reserved at the next <see cref="RecordedNames"/>). On the cmdlet's thread.</summary>
        public LedgerEntry? Open(PSObject input)
        {
            var path = JournalNote.Of(input);
            if (path is null) return null;
            JournalFile? journal;
            lock (_lock)
            {
                if (!_opened.TryGetValue(path, out journal))
                {
                    journal = _journals.Get(path);
                    _opened[path] = journal;
                    if (journal != null) _unreserved.Add(journal);
                }
            }
            var taskId = TaskIdOf(input);
            return journal is null || taskId is null ? null : journal.FindTask(taskId);
        }

        /// <summary>Records a saved file in the input's journal, if it has one (opened by <see cref="Open"/>). Any thread.</summary>
        /// <param name="sha256">The file's SHA-256 when this run wrote it; null for a file found on disk.</param>
        public void Record(PSObject input, MediaItem item, string path, string? sha256)
        {
            var journal = Opened(input);
            if (journal is null) return;
            try
            {
                var length = new FileInfo(path).Length;
                var entry = journal.FindTask(item.TaskId);
                // Already recorded as it is: the journal says it once.
                if (sha256 is null && entry != null && entry.Records(item.Kind, item.Index, path, Folders)) return;
                journal.Append(JournalRecord.Saved(item.TaskId, path, length, item.Kind.ToString(), item.Index, _clock.UtcNow, sha256));
            }
            catch (IOException ex)
            {
                WarnOnce($"The journal '{journal.Path}' could not record a saved file ({ex.Message}); the file is saved, and a re-run checks it again.");
            }
        }

        /// <summary>
        /// The names the journals opened so far gave the item's files in this folder, oldest first (what
        /// <see cref="FileNameClaims.Claim"/> keeps for it); null when none. Asked for before every claim, so it first
        /// reserves every name those journals gave in this folder, once per journal: no claim takes another task's name.
        /// On the cmdlet's thread.
        /// </summary>
        public List<NameSlice>? RecordedNames(MediaItem item)
        {
            List<NameSlice>? names = null;
            lock (_lock)
            {
                foreach (var journal in _unreserved) ReserveNames(journal);
                _unreserved.Clear();
                foreach (var journal in _opened.Values)
                {
                    var entry = journal?.FindTask(item.TaskId);
                    if (entry is null) continue;
                    foreach (var file in entry.AllSavedIn(item.Kind, item.Index, _folder, Folders))
                    {
                        (names ??= new List<NameSlice>()).Add(NameSlice.StemOf(file.PathTail!));
                    }
                }
            }
            return names;
        }

        /// <summary>Whether the input's journal is open for recording. Any thread.</summary>
        public bool Journaled(PSObject input) => Opened(input) != null;

        /// <summary>Records that the task's links expired before its files were saved, once per task; true when the input has a journal. Any thread.</summary>
        public bool Expired(PSObject input, string taskId, string reason)
        {
            var journal = Opened(input);
            if (journal is null) return false;
            lock (_lock)
            {
                if (!_expired.Add(taskId)) return true;
            }
            try
            {
                journal.Append(JournalRecord.Expired(taskId, reason, _clock.UtcNow));
            }
            catch (IOException ex)
            {
                WarnOnce($"The journal '{journal.Path}' could not record that the links of task '{Client.TaskIdPath.Shown(taskId)}' expired ({ex.Message}).");
            }
            return true;
        }

        /// <summary>Lets go of the journals; returns those this command was the last in the process to use.</summary>
        public IReadOnlyList<JournalFile> Close() => _journals.Close();

        public void Dispose() => _journals.Dispose();

        private JournalFile? Opened(PSObject input)
        {
            var path = JournalNote.Of(input);
            if (path is null) return null;
            lock (_lock) return _opened.TryGetValue(path, out var journal) ? journal : null;
        }

        private void WarnOnce(string message)
        {
            lock (_lock)
            {
                if (_warned) return;
                _warned = true;
            }
            _warn(message);
        }

        /// <summary>Names the journal gave to files in this folder stay their tasks'.</summary>
        private void ReserveNames(JournalFile journal)
        {
            foreach (var entry in journal.Entries())
            {
                foreach (var file in entry.Files)
                {
                    if (!FolderNames.Holds(_folder, file.FilePath!, Folders)) continue;
                    if (!(file.Kind() is MediaKind kind)) continue;
                    _names.Reserve(NameSlice.StemOf(file.PathTail!), entry.TaskId!, kind, file.FileIndex);
                }
            }
        }

        private static string? TaskIdOf(PSObject input) =>
            BindingValues.AsText(input.Properties["Id"]?.Value) ?? BindingValues.AsText(input.Properties["TaskId"]?.Value) ?? BindingValues.AsText(input.BaseObject);
    }
}
