using System;
using System.IO;
using System.Security.Cryptography;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// Reads a journal line by line from a stream in small chunks, so reading a journal holds one line at a time,
    /// never the whole file. Counts and hashes every byte read, so a writer opened later can tell that the file
    /// still starts with what was read (<see cref="JournalFile"/> then reads only what follows).
    /// </summary>
    internal sealed class JournalLines : IDisposable
    {
        private const int ChunkBytes = 64 * 1024;
        private readonly Stream _stream;
        private readonly int _maxLineBytes;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _chunk = new byte[ChunkBytes];
        private byte[] _line = new byte[1024];
        private int _chunkStart;
        private int _chunkEnd;

        public JournalLines(Stream stream, int maxLineBytes)
        {
            _stream = stream;
            _maxLineBytes = maxLineBytes;
        }

        /// <summary>Bytes read from the stream so far.</summary>
        public long BytesRead { get; private set; }

        /// <summary>The SHA-256 of the <see cref="BytesRead"/> bytes (ends the hash: call once, after the last line).</summary>
        public byte[] Hash() => _hash.GetHashAndReset();

        /// <summary>
        /// The next line without its newline, trimmed of blanks and byte order marks; false at the end of the stream.
        /// <paramref name="complete"/> is false for a last line without a newline; <paramref name="length"/> is the
        /// line's length in bytes, and a line longer than the limit comes back empty, with its length only.
        /// </summary>
        public bool Next(out ReadOnlyMemory<byte> text, out bool complete, out long length)
        {
            text = ReadOnlyMemory<byte>.Empty;
            complete = false;
            length = 0;
            var kept = 0;
            var any = false;
            while (true)
            {
                if (_chunkStart == _chunkEnd)
                {
                    _chunkStart = 0;
                    _chunkEnd = _stream.Read(_chunk, 0, _chunk.Length);
                    if (_chunkEnd == 0) break;
                    _hash.AppendData(_chunk, 0, _chunkEnd);
                    BytesRead += _chunkEnd;
                }
                any = true;
                var newline = Array.IndexOf(_chunk, (byte)'\n', _chunkStart, _chunkEnd - _chunkStart);
                var end = newline >= 0 ? newline : _chunkEnd;
                var count = end - _chunkStart;
                if (length + count <= _maxLineBytes)
                {
                    if (kept + count > _line.Length) Array.Resize(ref _line, Math.Max(kept + count, _line.Length * 2));
                    Buffer.BlockCopy(_chunk, _chunkStart, _line, kept, count);
                    kept += count;
                }
                length += count;
                _chunkStart = newline >= 0 ? newline + 1 : _chunkEnd;
                if (newline >= 0)
                {
                    complete = true;
                    break;
                }
            }
            if (!any) return false;
            if (length <= _maxLineBytes) text = Trim(new ReadOnlyMemory<byte>(_line, 0, kept));
            return true;
        }

        public void Dispose() => _hash.Dispose();

        private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
        {
            var span = line.Span;
            var start = 0;
            var end = span.Length;
            while (true)
            {
                if (start < end && IsBlank(span[start])) start++;
                else if (end - start >= 3 && span[start] == 0xEF && span[start + 1] == 0xBB && span[start + 2] == 0xBF) start += 3;
                else break;
            }
            while (true)
            {
                if (end > start && IsBlank(span[end - 1])) end--;
                else if (end - start >= 3 && span[end - 3] == 0xEF && span[end - 2] == 0xBB && span[end - 1] == 0xBF) end -= 3;
                else break;
            }
            return line.Slice(start, end - start);
        }

        private static bool IsBlank(byte b) => b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == 0x0B || b == 0x0C;
    }
}
