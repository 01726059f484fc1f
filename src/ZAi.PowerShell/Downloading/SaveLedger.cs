using ZAi.PowerShell.Journal;
using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// Save-ZAiMedia's side of the journal: inputs that carry a Journal (results of a journaled submission, or
    /// Get-ZAiJournal entries) have each saved file recorded in it, tasks whose recorded files are all still on
    /// disk are skipped without a request, and the names the journal gave to tasks in this folder stay theirs.
    /// A journal that cannot be written costs a warning, never a file.
    /// </summary>
    internal sealed class SaveLedger : IDisposable
    {
        private readonly object _lock = new object();
        private readonly string _folder;
        private readonly FileNameClaims _names;
        private readonly IPipelineSink _sink;
        private readonly JournalHandles _journals;
        private bool _warned;

        public SaveLedger(string folder, FileNameClaims names, IPipelineSink sink)
        {
            _folder = folder;
            _names = names;
            _sink = sink;
            _journals = new JournalHandles(
                (path, ex) => _sink.WriteWarning($"The journal '{path}' of the input cannot be written ({ex.Message}); files are saved without it."),
                ReserveNames);
        }

        /// <summary>The files the journal records for the input's task, when every one is still on disk as saved; else null. On the cmdlet's thread.</summary>
        public IReadOnlyList<SavedMediaFile>? SavedBefore(PSObject input)
        {
            var entry = Entry(input);
            if (entry is null || !entry.FilesIntact()) return null;
            var files = new List<SavedMediaFile>();
            foreach (var file in entry.Files)
            {
                var kind = Enum.TryParse<MediaKind>(file.FileKind, out var k) ? k : MediaKind.Video;
                files.Add(new SavedMediaFile(file.FilePath!, entry.TaskId!, kind, file.FileIndex, null, false, entry.Prompt, entry.ExpiresUtc));
            }
            return files;
        }

        /// <summary>Records a saved file in the input's journal, if it has one. Any thread.</summary>
        public void Record(PSObject input, MediaItem item, string path)
        {
            var journal = Journal(input);
            if (journal is null) return;
            try
            {
                var length = new FileInfo(path).Length;
                journal.Append(JournalRecord.Saved(item.TaskId, path, length, item.Kind.ToString(), item.Index, DateTime.UtcNow));
            }
            catch (IOException ex)
            {
                lock (_lock)
                {
                    if (_warned) return;
                    _warned = true;
                }
                _sink.WriteWarning($"The journal '{journal.Path}' could not record a saved file ({ex.Message}); the file is saved, and a re-run checks it again.");
            }
        }

        /// <summary>Lets go of the journals; returns those this command was the last in the process to use.</summary>
        public IReadOnlyList<JournalFile> Close() => _journals.Close();

        public void Dispose() => _journals.Dispose();

        private LedgerEntry? Entry(PSObject input)
        {
            var journal = Journal(input);
            var taskId = TaskIdOf(input);
            return journal is null || taskId is null ? null : journal.FindTask(taskId);
        }

        private JournalFile? Journal(PSObject input)
        {
            var path = JournalNote.Of(input);
            return path is null ? null : _journals.Get(path);
        }

        /// <summary>Names the journal gave to files in this folder stay their tasks'.</summary>
        private void ReserveNames(JournalFile journal)
        {
            foreach (var entry in journal.Entries())
            {
                foreach (var file in entry.Files)
                {
                    if (!string.Equals(System.IO.Path.GetDirectoryName(file.FilePath), _folder.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar), StringComparison.Ordinal)) continue;
                    if (!Enum.TryParse<MediaKind>(file.FileKind, out var kind)) continue;
                    _names.Reserve(System.IO.Path.GetFileNameWithoutExtension(file.FilePath!), entry.TaskId!, kind, file.FileIndex);
                }
            }
        }

        private static string? TaskIdOf(PSObject input) =>
            BindingValues.AsText(input.Properties["Id"]?.Value) ?? BindingValues.AsText(input.Properties["TaskId"]?.Value) ?? BindingValues.AsText(input.BaseObject);
    }
}
