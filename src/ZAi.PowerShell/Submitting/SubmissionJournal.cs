using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// An append-only file of <see cref="JournalRecord"/> lines that makes a batch safe to re-run: each request is
    /// recorded, flushed to disk, before it is sent, and its task id after the API accepted it. A process holds
    /// the journal's lock file (<c>&lt;journal&gt;.lock</c>) for as long as it writes, so two processes never
    /// append to one journal or submit its requests twice. A torn last line (a crash mid-write) is reported and
    /// skipped, never fatal.
    /// </summary>
    internal sealed class SubmissionJournal : IDisposable
    {
        public const string LockSuffix = ".lock";
        private readonly object _lock = new object();
        private readonly Dictionary<string, JournalEntry> _entries = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        private readonly List<string> _warnings = new List<string>();
        private FileStream? _file;
        private FileStream? _lockFile;
        private bool _needsNewline;
        private int _lines;

        private SubmissionJournal(string path)
        {
            Path = path;
        }

        public string Path { get; }

        /// <summary>What reading the journal found worth saying: torn or unreadable lines, skipped.</summary>
        public IReadOnlyList<string> Warnings => _warnings;

        /// <summary>Requests recorded, one per key and occurrence.</summary>
        public int Count { get { lock (_lock) return _entries.Count; } }

        /// <summary>Opens (creating it when missing) and locks the journal for appending.</summary>
        /// <exception cref="IOException">Another process holds the journal, or the file cannot be written.</exception>
        public static SubmissionJournal OpenForWriting(string path)
        {
            var journal = new SubmissionJournal(path);
            try
            {
                journal._lockFile = LockFile(path);
                journal._file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
                journal.Load(journal._file);
                journal._file.Seek(0, SeekOrigin.End);
                return journal;
            }
            catch
            {
                journal.Dispose();
                throw;
            }
        }

        /// <summary>Reads the journal without locking or writing it (-WhatIf); an empty journal when the file does not exist.</summary>
        public static SubmissionJournal ReadOnly(string path)
        {
            var journal = new SubmissionJournal(path);
            if (File.Exists(path))
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                journal.Load(file);
            }
            return journal;
        }

        /// <summary>The recorded request with this key and occurrence, or null.</summary>
        public JournalEntry? Find(string key, int occurrence)
        {
            lock (_lock) return _entries.TryGetValue(Id(key, occurrence), out var entry) ? entry : null;
        }

        /// <summary>Appends a record and flushes it to disk before returning.</summary>
        public void Append(JournalRecord record)
        {
            if (_file is null) throw new InvalidOperationException("The journal was opened read-only.");
            var line = record.ToLine();
            lock (_lock)
            {
                if (_needsNewline)
                {
                    // Ends a torn last line, so this record starts on a line of its own.
                    _file.WriteByte((byte)'\n');
                    _needsNewline = false;
                    _lines++;
                }
                _file.Write(line, 0, line.Length);
                _file.Flush(flushToDisk: true);
                record.Line = ++_lines;
                Index(record);
            }
        }

        public void Dispose()
        {
            _file?.Dispose();
            _lockFile?.Dispose();
            _file = null;
            _lockFile = null;
        }

        private static FileStream LockFile(string path)
        {
            try
            {
                var lockFile = new FileStream(path + LockSuffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var note = Encoding.UTF8.GetBytes($"Locked by process {System.Diagnostics.Process.GetCurrentProcess().Id} at {DateTime.UtcNow:u}.\n");
                lockFile.SetLength(0);
                lockFile.Write(note, 0, note.Length);
                lockFile.Flush();
                return lockFile;
            }
            catch (IOException ex) when (!(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException) && !(ex is PathTooLongException))
            {
                throw new IOException(
                    $"The journal '{path}' is in use by another process (its lock file '{path + LockSuffix}' is held). "
                    + "Two batches on one journal could submit the same requests twice: wait for the other one to finish, or give another -Journal.", ex);
            }
        }

        private void Load(Stream file)
        {
            var bytes = new byte[file.Length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = file.Read(bytes, read, bytes.Length - read);
                if (n == 0) break;
                read += n;
            }
            var start = 0;
            var lineNumber = 0;
            while (start < read)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start, read - start);
                var complete = end >= 0;
                var length = (complete ? end : read) - start;
                lineNumber++;
                var text = Encoding.UTF8.GetString(bytes, start, length).Trim();
                if (!complete)
                {
                    _needsNewline = true;
                    if (text.Length > 0) _warnings.Add($"The last line of the journal '{Path}' (line {lineNumber}) is incomplete, most likely cut off by a crash while it was written; it is ignored.");
                }
                else if (text.Length > 0)
                {
                    var record = JournalRecord.Parse(text, lineNumber, out var problem);
                    if (record is null) _warnings.Add($"Line {lineNumber} of the journal '{Path}' is ignored: {problem}.");
                    else Index(record);
                }
                start = complete ? end + 1 : read;
            }
            _lines = lineNumber - (_needsNewline ? 1 : 0);
        }

        private void Index(JournalRecord record)
        {
            var id = Id(record.Key, record.Occurrence);
            if (!_entries.TryGetValue(id, out var entry)) _entries[id] = entry = new JournalEntry(record);
            if (record.Type == JournalRecord.AcceptedType) entry.Accept(record);
        }

        private static string Id(string key, int occurrence) => key + "#" + occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One request of a journal: what was sent, and its task once accepted.</summary>
    internal sealed class JournalEntry
    {
        public JournalEntry(JournalRecord first)
        {
            RequestId = first.RequestId;
            Line = first.Line;
            if (first.Type == JournalRecord.AcceptedType) Accept(first);
        }

        public string RequestId { get; }

        /// <summary>The line that first recorded the request.</summary>
        public int Line { get; }

        /// <summary>The task the API created, or null when its answer never reached the journal.</summary>
        public string? TaskId { get; private set; }

        public DateTime? AcceptedUtc { get; private set; }

        public void Accept(JournalRecord accepted)
        {
            TaskId = accepted.TaskId;
            AcceptedUtc = accepted.TimeUtc;
        }
    }
}
