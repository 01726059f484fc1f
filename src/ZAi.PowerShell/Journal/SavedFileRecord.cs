using System;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// What a task's entry keeps of one saved line: the file, its length, what it holds and its SHA-256. A long
    /// journal's entries keep every saved line for the whole command, so only these fields are kept, and the
    /// SHA-256 as its 32 bytes (the text would cost three times as much per file).
    /// </summary>
    internal sealed class SavedFileRecord
    {
        private readonly byte[]? _sha256;
        private readonly string? _sha256Text;
        private readonly string? _folder;

        /// <param name="folder">The journal's one copy of the path's folder, when the path starts with it.</param>
        public SavedFileRecord(string? path, long length, string? kind, int index, string? sha256, int line, string? folder = null)
        {
            // A long journal's paths mostly repeat one folder: the folder is held once, each file's tail on its own.
            if (path != null && folder != null && folder.Length < path.Length && path.StartsWith(folder, StringComparison.Ordinal))
            {
                _folder = folder;
                PathTail = path.Substring(folder.Length);
            }
            else
            {
                PathTail = path;
            }
            FileLength = length;
            FileKind = kind;
            FileIndex = index;
            Line = line;
            _sha256 = Transfer.FileSha256.Bytes(sha256);
            // A value that is not 64 hex digits (a hand-edited line) is kept as written, and never matches a file.
            _sha256Text = _sha256 is null ? sha256 : null;
        }

        public static SavedFileRecord From(JournalRecord saved) =>
            new SavedFileRecord(saved.FilePath, saved.FileLength, saved.FileKind, saved.FileIndex, saved.FileSha256, saved.Line, saved.FileFolder);

        /// <summary>The file's full path as the journal recorded it (made anew from its folder and tail on each call).</summary>
        public string? FilePath => _folder is null ? PathTail : string.Concat(_folder, PathTail);

        /// <summary>The recorded path after its shared folder: the file's name, or the whole path when it was not split. Its stem is the file's.</summary>
        public string? PathTail { get; }

        /// <summary>Whether the line recorded exactly <paramref name="path"/> (compared without joining the path).</summary>
        public bool IsAt(string? path)
        {
            if (_folder is null || path is null) return string.Equals(PathTail, path, StringComparison.Ordinal);
            return path.Length == _folder.Length + PathTail!.Length
                && string.CompareOrdinal(path, 0, _folder, 0, _folder.Length) == 0
                && string.CompareOrdinal(path, _folder.Length, PathTail, 0, PathTail.Length) == 0;
        }

        public long FileLength { get; }

        /// <summary>Video, Cover or Image, as the line says it.</summary>
        public string? FileKind { get; }

        /// <summary>The index of the media item within its task (0 for the first video).</summary>
        public int FileIndex { get; }

        /// <summary>The file's SHA-256 in lower-case hex, when the line has one.</summary>
        public string? FileSha256 => _sha256 is null ? _sha256Text : Transfer.FileSha256.Hex(_sha256);

        /// <summary>The line of the journal that recorded the file.</summary>
        public int Line { get; }
    }
}
