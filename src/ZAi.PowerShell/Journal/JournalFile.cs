using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ZAi.PowerShell.Transfer;
namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// The runbook's ledger: an append-only file of <see cref="JournalRecord"/> lines. Each request is recorded,
    /// flushed to disk, before it is sent, its task id once accepted, and then what the waits and saves of the
    /// pipeline saw: the task's end and each file written. A re-run reads it back as one
    /// <see cref="LedgerEntry"/> per request. A process holds the journal's lock file
    /// (<c>&lt;journal&gt;.lock</c>) while it writes (runspaces of one process share the writer through
    /// <see cref="SharedJournals"/>), so two processes never append to one journal. Neither file is ever written
    /// through a link; the lock file is removed when the writer closes. A torn last line (a crash mid-write) is
    /// reported and skipped. A line that cannot be written (a full disk) stays pending and is written before the
    /// next one, so the file never records a later step without the earlier.
    /// </summary>
    internal sealed class JournalFile : IDisposable
    {
        public const string LockSuffix = ".lock";

        /// <summary>The longest line read as a record: far above any the module writes (a prompt and its fields).</summary>
        public const int MaxLineBytes = 1024 * 1024;
        private readonly object _lock = new object();
        private readonly Dictionary<(string Key, int Occurrence), LedgerEntry> _entries = new Dictionary<(string Key, int Occurrence), LedgerEntry>();
        // Models, endpoints, kinds and statuses repeat on every line: one string each, not one per line.
        private readonly Dictionary<string, string> _words = new Dictionary<string, string>(StringComparer.Ordinal);
        private string? _lastFolder;
        private readonly Dictionary<string, LedgerEntry> _byTask = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        private readonly List<LedgerEntry> _inOrder = new List<LedgerEntry>();
        private readonly BilledSends _billed = new BilledSends();
        private readonly List<JournalRecord> _pending = new List<JournalRecord>();
        private readonly List<string> _warnings = new List<string>();
        private JournalLineWriter? _lineWriter;
        private Stream? _file;
        private FileStream? _lockFile;
        private bool _needsNewline;
        private decimal _reserved;
        private bool _disposed;
        private int _lines;
        private long _readBytes;
        private byte[]? _readHash;

        private JournalFile(string path)
        {
            Path = path;
        }

        public string Path { get; }

        /// <summary>What reading the journal found worth saying: torn or unreadable lines, skipped.</summary>
        public IReadOnlyList<string> Warnings => _warnings;

        /// <summary>Requests recorded, one per key and occurrence.</summary>
        public int Count { get { lock (_lock) return _entries.Count; } }

        /// <summary>Records that could not be written yet (the disk was full); they go before the next one.</summary>
        public int Pending { get { lock (_lock) return _pending.Count; } }

        /// <summary>Opens (creating it when missing) and locks the journal for appending.</summary>
        /// <param name="open">Opens the journal's stream (tests give a stream that fails like a full disk).</param>
        /// <exception cref="IOException">Another process holds the journal, a name is a link, or the file cannot be written.</exception>
        /// <param name="readBefore">
        /// The same journal as read without the lock (<see cref="ReadOnly"/>): when the file still starts with exactly
        /// what it read, it becomes the writer and only the lines written since are read, so a re-run parses its
        /// journal once. It must not be used on its own afterwards; when the file changed, the journal is read afresh.
        /// </param>
        public static JournalFile OpenForWriting(string path, Func<string, Stream>? open = null, JournalFile? readBefore = null)
        {
            FileStream? lockFile = null;
            Stream? file = null;
            try
            {
                lockFile = JournalLockFile.Take(path);
                SafeFile.RefuseLink(path);
                file = (open ?? OpenFile)(path);
                var journal = readBefore != null && readBefore.StillStartsWith(file) ? readBefore : new JournalFile(path);
                journal._lockFile = lockFile;
                journal._file = file;
                lockFile = null;
                file = null;
                try
                {
                    journal._file.Seek(journal._readBytes, SeekOrigin.Begin);
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
            catch
            {
                Close(file);
                if (lockFile != null) JournalLockFile.Release(lockFile);
                throw;
            }
        }

        /// <summary>Reads the journal without locking or writing it (-WhatIf, Get-ZAiJournal); empty when the file does not exist.</summary>
        public static JournalFile ReadOnly(string path)
        {
            var journal = new JournalFile(path);
            if (File.Exists(path))
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                journal.Load(file);
            }
            return journal;
        }

        /// <summary>The recorded request with this key and occurrence, or null.</summary>
        public LedgerEntry? Find(string key, int occurrence)
        {
            lock (_lock) return _entries.TryGetValue((key, occurrence), out var entry) ? entry : null;
        }

        /// <summary>The request whose current task is <paramref name="taskId"/>, or null.</summary>
        public LedgerEntry? FindTask(string taskId)
        {
            lock (_lock) return _byTask.TryGetValue(taskId, out var entry) && entry.TaskId == taskId ? entry : null;
        }

        /// <summary>Every request, in the order first recorded.</summary>
        public IReadOnlyList<LedgerEntry> Entries()
        {
            lock (_lock) return _inOrder.ToArray();
        }

        /// <summary>
        /// The model of every task the journal's requests may have been billed for, one per send: accepted, failed,
        /// saved, expired, unknown (billed, id lost) and recorded ones (sent, answer not seen), each -RetryFailed
        /// attempt again. Refused requests were never sent.
        /// </summary>
        public IReadOnlyList<string?> BilledModels()
        {
            lock (_lock) return _billed.Models();
        }

        /// <summary>
        /// Sets aside <paramref name="price"/> for a request about to be recorded, unless the journal's spend (what its
        /// lines may have billed, and what every command of this process sharing it has set aside and not recorded
        /// yet) would go over <paramref name="maximum"/>. The reservation ends when the request's intent is appended
        /// with it, or when it is released unsent.
        /// </summary>
        /// <param name="priceOf">The estimated price of a task of a model; null when none is known (not counted).</param>
        /// <param name="spent">The spend the decision was made on, without this request.</param>
        /// <returns>The reservation, or null when the budget refuses.</returns>
        public SpendReservation? TryReserve(decimal price, decimal? maximum, Func<string?, decimal?> priceOf, out decimal spent)
        {
            lock (_lock)
            {
                spent = _reserved + _billed.Spend(priceOf);
                if (maximum.HasValue && spent + price > maximum.Value) return null;
                _reserved += price;
                return new SpendReservation(this, price);
            }
        }

        /// <summary>Spend set aside and not recorded yet, by every command sharing this journal.</summary>
        public decimal Reserved { get { lock (_lock) return _reserved; } }

        internal void Release(SpendReservation reservation)
        {
            lock (_lock)
            {
                if (reservation.Ended) return;
                reservation.Ended = true;
                _reserved -= reservation.Amount;
            }
        }

        /// <summary>Appends the intent of a reserved request: the reservation becomes the recorded request's spend in one step.</summary>
        /// <exception cref="IOException">The record could not be written; the reservation stands until released.</exception>
        public void Append(JournalRecord record, SpendReservation? reservation)
        {
            lock (_lock)
            {
                Append(record);
                if (reservation != null) Release(reservation);
            }
        }

        /// <summary>
        /// Appends a record and flushes it to disk before returning. When the write fails, the record is kept and
        /// written before the next one (or at close), and the failure is thrown: the caller decides what it means.
        /// </summary>
        /// <exception cref="IOException">The record (or one pending before it) could not be written.</exception>
        public void Append(JournalRecord record)
        {
            lock (_lock)
            {
                if (_file is null) throw new InvalidOperationException(_disposed ? "The journal is closed." : "The journal was opened read-only.");
                _pending.Add(record);
                WritePending();
            }
        }

        /// <summary>Writes the pending records; false when the disk still refuses them.</summary>
        public bool TryFlushPending()
        {
            lock (_lock)
            {
                if (_file is null || _pending.Count == 0) return _pending.Count == 0;
                try
                {
                    WritePending();
                    return true;
                }
                catch (IOException)
                {
                    return false;
                }
            }
        }

        /// <summary>Writes what is pending if it can, closes the file and removes the lock file. Never throws.</summary>
        public void Dispose()
        {
            lock (_lock)
            {
                if (_disposed) return;
                _disposed = true;
                if (_file != null && _pending.Count > 0)
                {
                    try
                    {
                        WritePending();
                    }
                    catch (IOException)
                    {
                        // Reported when each append failed; nothing more can be done here.
                    }
                }
                Close(_file);
                _file = null;
                if (_lockFile != null) JournalLockFile.Release(_lockFile);
                _lockFile = null;
            }
        }

        private static Stream OpenFile(string path) =>
            new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);

        private static void Close(Stream? file)
        {
            if (file is null) return;
            try
            {
                file.Dispose();
            }
            catch (IOException)
            {
                // A buffer that could not be flushed: its lines were reported as not written.
            }
        }

        /// <summary>Writes pending records in order; on a failure cuts the file back to its last whole line. Under the lock.</summary>
        private void WritePending()
        {
            while (_pending.Count > 0)
            {
                var record = _pending[0];
                var line = (_lineWriter ??= new JournalLineWriter()).Write(record);
                var before = _file!.Position;
                try
                {
                    if (_needsNewline)
                    {
                        // Ends a torn last line, so this record starts on a line of its own.
                        _file.WriteByte((byte)'\n');
                        _needsNewline = false;
                        _lines++;
                        before = _file.Position;
                    }
                    _file.Write(line.Array!, line.Offset, line.Count);
                    Flush(_file);
                }
                catch (IOException)
                {
                    CutBack(before);
                    throw;
                }
                _pending.RemoveAt(0);
                record.Line = ++_lines;
                Index(record);
            }
        }

        private static void Flush(Stream file)
        {
            if (file is FileStream fileStream) fileStream.Flush(flushToDisk: true);
            else file.Flush();
        }

        /// <summary>Drops a half-written line, so the file holds whole lines only, and the next write starts clean.</summary>
        private void CutBack(long length)
        {
            try
            {
                _file!.SetLength(length);
                _file.Seek(length, SeekOrigin.Begin);
            }
            catch (IOException)
            {
                // The bytes stay as a torn line; the next read skips it and the next write starts a new line.
                _needsNewline = true;
            }
            catch (NotSupportedException)
            {
                _needsNewline = true;
            }
        }

        /// <summary>
        /// Whether <paramref name="file"/> starts with exactly the bytes this read-only view read (their length and
        /// SHA-256), so it can become the writer and read on from there. A view that ended in a torn line while the
        /// file has grown since is read afresh (the torn line may have been ended by another writer).
        /// </summary>
        private bool StillStartsWith(Stream file)
        {
            lock (_lock)
            {
                if (_file != null || _disposed || _readHash is null || file.Length < _readBytes) return false;
                if (_needsNewline && file.Length > _readBytes) return false;
                file.Seek(0, SeekOrigin.Begin);
                using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                var buffer = new byte[64 * 1024];
                var left = _readBytes;
                while (left > 0)
                {
                    var n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (n == 0) return false;
                    hash.AppendData(buffer, 0, n);
                    left -= n;
                }
                var same = System.Linq.Enumerable.SequenceEqual(hash.GetHashAndReset(), _readHash);
                _readHash = null;
                return same;
            }
        }

        /// <summary>Reads the journal's lines from the stream's position on (the start, or where a read-only view stopped), one at a time.</summary>
        private void Load(Stream file)
        {
            var lineNumber = _lines + (_needsNewline ? 1 : 0);
            var atStart = file.Position == 0;
            using var lines = new JournalLines(file, MaxLineBytes);
            while (lines.Next(out var text, out var complete, out var length))
            {
                lineNumber++;
                if (length > MaxLineBytes)
                {
                    if (!complete) _needsNewline = true;
                    _warnings.Add($"Line {lineNumber} of the journal '{Path}' is ignored: it is {length:N0} bytes long, and a journal record is at most {MaxLineBytes:N0}.");
                    continue;
                }
                if (!complete)
                {
                    _needsNewline = true;
                    if (text.Length > 0) _warnings.Add($"The last line of the journal '{Path}' (line {lineNumber}) is incomplete, most likely cut off by a crash while it was written; it is ignored.");
                }
                else if (text.Length > 0)
                {
                    var record = JournalRecord.Parse(text, lineNumber, out var problem);
                    if (record is null)
                    {
                        _warnings.Add($"Line {lineNumber} of the journal '{Path}' is ignored: {problem}.");
                    }
                    else
                    {
                        record.FieldsJson = null;   // a request's fields are written for the record, never read back
                        Index(record);
                    }
                }
            }
            _lines = lineNumber - (_needsNewline ? 1 : 0);
            _readBytes += lines.BytesRead;
            if (atStart && _file is null) _readHash = lines.Hash();
        }

        private void Index(JournalRecord record)
        {
            if (record.IsTaskRecord)
            {
                if (_byTask.TryGetValue(record.TaskId!, out var owner))
                {
                    Share(record);
                    // The entry holds the task id once; its saved lines share it.
                    if (owner.TaskId != null && owner.TaskId == record.TaskId) record.TaskId = owner.TaskId;
                    owner.ApplyTask(record);
                }
                return;
            }
            Share(record);
            var id = (record.Key, record.Occurrence);
            if (_entries.TryGetValue(id, out var entry))
            {
                _billed.Add(entry.Model, -entry.Attempts);
                entry.Apply(record);
            }
            else
            {
                _entries[id] = entry = new LedgerEntry(record);
                _inOrder.Add(entry);
            }
            _billed.Add(entry.Model, entry.Attempts);
            if (entry.TaskId != null) _byTask[entry.TaskId] = entry;
        }

        /// <summary>Replaces the record's repeated words by the journal's one copy of each, and names the folder its file shares with the one before. Under the lock.</summary>
        private void Share(JournalRecord record)
        {
            record.Model = Word(record.Model);
            record.Endpoint = Word(record.Endpoint);
            record.FileKind = Word(record.FileKind);
            record.Status = Word(record.Status);
            if (record.FilePath is string path) record.FileFolder = Folder(path);
        }

        /// <summary>The path up to its last separator, as the same string as the last saved line's when they agree: a run saves its files into one folder.</summary>
        private string? Folder(string path)
        {
            var length = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1;
            if (length == 0) return null;
            if (_lastFolder is null || _lastFolder.Length != length || string.CompareOrdinal(path, 0, _lastFolder, 0, length) != 0) _lastFolder = path.Substring(0, length);
            return _lastFolder;
        }

        private string? Word(string? word)
        {
            if (word is null || word.Length > 64) return word;
            if (_words.TryGetValue(word, out var shared)) return shared;
            _words[word] = word;
            return word;
        }
    }
}
