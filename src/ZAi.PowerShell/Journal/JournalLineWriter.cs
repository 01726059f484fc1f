using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// Turns records into journal lines through one buffer and one JSON writer, kept from line to line. A fresh
    /// writer per line grew its buffer from 256 bytes for each long string (the fields, a path): a sixth of all a
    /// run allocated. Not thread-safe: a journal writes under its lock.
    /// </summary>
    internal sealed class JournalLineWriter
    {
        private static readonly JsonWriterOptions Options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private readonly MemoryStream _buffer = new MemoryStream();
        private readonly Utf8JsonWriter _writer;

        public JournalLineWriter()
        {
            _writer = new Utf8JsonWriter(_buffer, Options);
        }

        /// <summary>The record as one line of JSON and its newline; valid until the next call.</summary>
        public ArraySegment<byte> Write(JournalRecord record)
        {
            _buffer.SetLength(0);
            _writer.Reset(_buffer);
            record.WriteTo(_writer);
            _writer.Flush();
            _buffer.WriteByte((byte)'\n');
            return new ArraySegment<byte>(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        }
    }
}
