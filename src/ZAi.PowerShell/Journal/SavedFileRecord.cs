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

        public SavedFileRecord(string? path, long length, string? kind, int index, string? sha256, int line)
        {
            FilePath = path;
            FileLength = length;
            FileKind = kind;
            FileIndex = index;
            Line = line;
            _sha256 = Transfer.FileSha256.Bytes(sha256);
            // A value that is not 64 hex digits (a hand-edited line) is kept as written, and never matches a file.
            _sha256Text = _sha256 is null ? sha256 : null;
        }

        public static SavedFileRecord From(JournalRecord saved) =>
            new SavedFileRecord(saved.FilePath, saved.FileLength, saved.FileKind, saved.FileIndex, saved.FileSha256, saved.Line);

        /// <summary>The file's full path.</summary>
        public string? FilePath { get; }

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
