using System;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// What a task's entry keeps of one saved line: the file, its length, what it holds and its SHA-256. A long
    /// journal's entries keep every saved line for the whole command, so only these fields are kept, and the
    /// SHA-256 as its 32 bytes inside the record (the text would cost three times as much per file).
    /// </summary>
    internal sealed class SavedFileRecord
    {
        private readonly Sha256Value _sha256;
        // HexBits.Packed when the hash is held in _sha256; else the line's text as written (null when it had none).
        private readonly string? _sha256Text;
        private readonly string? _folder;
        private readonly string? _stem;
        private readonly string? _tail;

        /// <param name="folder">The journal's one copy of the path's folder, when the path starts with it.</param>
        /// <param name="taskId">The entry's copy of the task id, when the file is named by it.</param>
        public SavedFileRecord(string? path, long length, string? kind, int index, string? sha256, int line, string? folder = null, string? taskId = null)
        {
            // A long journal's paths mostly repeat one folder: the folder is held once, each file's tail on its own,
            // and a default name's tail as the entry's task id and its suffix.
            var start = 0;
            if (path != null && folder != null && folder.Length < path.Length && path.StartsWith(folder, StringComparison.Ordinal))
            {
                _folder = folder;
                start = folder.Length;
            }
            _stem = path is null ? null : CommonName(path, start, taskId, out _tail);
            if (_stem is null) _tail = path is null || start == 0 ? path : path.Substring(start);
            FileLength = length;
            FileKind = kind;
            FileIndex = index;
            Line = line;
            // A value that is not 64 hex digits (a hand-edited line) is kept as written, and never matches a file.
            _sha256Text = Sha256Value.TryParse(sha256, out _sha256) ? HexBits.Packed : sha256;
        }

        public static SavedFileRecord From(JournalRecord saved, string? taskId = null) =>
            new SavedFileRecord(saved.FilePath, saved.FileLength, saved.FileKind, saved.FileIndex, saved.FileSha256, saved.Line, saved.FileFolder, taskId);

        /// <summary>The task id when the path from <paramref name="start"/> is the task id and a suffix Save gives by default (given in <paramref name="suffix"/>); else null.</summary>
        private static string? CommonName(string path, int start, string? taskId, out string? suffix)
        {
            suffix = null;
            if (string.IsNullOrEmpty(taskId) || string.CompareOrdinal(path, start, taskId, 0, taskId!.Length) != 0) return null;
            var rest = start + taskId.Length;
            foreach (var common in Transfer.MediaFileNames.DefaultSuffixes)
            {
                if (path.Length - rest == common.Length && string.CompareOrdinal(path, rest, common, 0, common.Length) == 0)
                {
                    suffix = common;
                    return taskId;
                }
            }
            return null;
        }

        /// <summary>The file's full path as the journal recorded it (made anew from its parts on each call).</summary>
        public string? FilePath => _folder is null ? PathTail : _stem is null ? string.Concat(_folder, _tail) : string.Concat(_folder, _stem, _tail);

        /// <summary>The recorded path after its shared folder: the file's name, or the whole path when it was not split. Its stem is the file's.</summary>
        public string? PathTail => _stem is null ? _tail : string.Concat(_stem, _tail);

        /// <summary>The entry's task id string when the file is named by it (the same object, not a copy); else null.</summary>
        internal string? SharedTaskId => _stem;

        /// <summary>Whether the line recorded exactly <paramref name="path"/> (compared without joining the path).</summary>
        public bool IsAt(string? path)
        {
            if (path is null || _tail is null) return path is null && _tail is null;
            var at = 0;
            return Next(path, ref at, _folder) && Next(path, ref at, _stem) && Next(path, ref at, _tail) && at == path.Length;
        }

        /// <summary>True when <paramref name="path"/> holds <paramref name="part"/> at <paramref name="at"/> (moved past it); a null part is nothing.</summary>
        private static bool Next(string path, ref int at, string? part)
        {
            if (part is null) return true;
            if (path.Length - at < part.Length || string.CompareOrdinal(path, at, part, 0, part.Length) != 0) return false;
            at += part.Length;
            return true;
        }

        public long FileLength { get; }

        /// <summary>Video, Cover or Image, as the line says it.</summary>
        public string? FileKind { get; }

        /// <summary>The index of the media item within its task (0 for the first video).</summary>
        public int FileIndex { get; }

        /// <summary>The file's SHA-256 in lower-case hex, when the line has one.</summary>
        public string? FileSha256 => ReferenceEquals(_sha256Text, HexBits.Packed) ? _sha256.ToString() : _sha256Text;

        /// <summary>The line of the journal that recorded the file.</summary>
        public int Line { get; }
    }
}
