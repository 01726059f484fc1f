using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ZAi.PowerShell.Journal;
namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// The queries Save-ZAiMedia asks of a journal about one task's files: which file of each media item is
    /// saved in a given folder, which is intact elsewhere, and whether the journal knows every file of the task.
    /// A file is intact when it is on disk with the length it was saved with (its SHA-256 is checked where the
    /// bytes are read anyway: when it is copied).
    /// </summary>
    internal static class SavedFiles
    {
        /// <summary>One media item of a task, as saved: its kind, index and the newest file recorded for it in each folder.</summary>
        public static MediaKind? Kind(this SavedFileRecord file) =>
            Enum.TryParse<MediaKind>(file.FileKind, out var kind) ? kind : (MediaKind?)null;

        /// <summary>The (kind, index) of every media item the journal records a file for, in the order first saved.</summary>
        public static IReadOnlyList<(MediaKind Kind, int Index)> SavedItems(this LedgerEntry entry)
        {
            var items = new List<(MediaKind, int)>();
            foreach (var file in entry.Files)
            {
                if (!(file.Kind() is MediaKind kind)) continue;
                if (!items.Contains((kind, file.FileIndex))) items.Add((kind, file.FileIndex));
            }
            return items;
        }

        /// <summary>
        /// True when the journal knows every file of the task: it was saved, and as many media items have a file as
        /// the wait that saw it finish counted (any number when that count is unknown).
        /// </summary>
        public static bool KnowsEveryFile(this LedgerEntry entry)
        {
            if (entry.State != LedgerState.Saved) return false;
            var count = entry.SavedItems().Count;
            return count > 0 && count >= entry.ExpectedFiles;
        }

        /// <summary>The newest file recorded for the item in <paramref name="folder"/>, or null.</summary>
        public static SavedFileRecord? SavedIn(this LedgerEntry entry, MediaKind kind, int index, string folder, StringComparer folders) =>
            entry.AllSavedIn(kind, index, folder, folders).LastOrDefault();

        /// <summary>Every file recorded for the item in <paramref name="folder"/>, oldest first.</summary>
        public static IEnumerable<SavedFileRecord> AllSavedIn(this LedgerEntry entry, MediaKind kind, int index, string folder, StringComparer folders) =>
            entry.Files.Where(f => f.Kind() == kind && f.FileIndex == index && FolderNames.Holds(folder, f.FilePath!, folders));

        /// <summary>The newest intact file recorded for the item outside <paramref name="folder"/>, or null.</summary>
        public static SavedFileRecord? IntactElsewhere(this LedgerEntry entry, MediaKind kind, int index, string folder, StringComparer folders) =>
            entry.Files.LastOrDefault(f => f.Kind() == kind && f.FileIndex == index && !FolderNames.Holds(folder, f.FilePath!, folders) && f.Intact());

        /// <summary>True when the file is on disk, a regular file, with the length recorded.</summary>
        public static bool Intact(this SavedFileRecord file)
        {
            try
            {
                var info = new FileInfo(file.FilePath!);
                return info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0 && info.Length == file.FileLength;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                return false;
            }
        }

        /// <summary>True when the journal records <paramref name="path"/> for this item and the file still has the recorded length.</summary>
        public static bool Records(this LedgerEntry entry, MediaKind kind, int index, string path, StringComparer folders)
        {
            var file = entry.Files.LastOrDefault(f => f.Kind() == kind && f.FileIndex == index
                && FolderNames.Holds(Path.GetDirectoryName(path) ?? path, f.FilePath!, folders)
                && folders.Equals(Path.GetFileName(f.FilePath!), Path.GetFileName(path)));
            return file != null && file.Intact();
        }
    }
}
