using System;
using System.IO;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// The one open handle on a partial file, shared by the connections of a ranged download: each write goes to its
    /// own offset under a lock (a write lands in the page cache, so the lock is held for microseconds). Opened without
    /// sharing, so no other process writes into the same partial file meanwhile; never through a link.
    /// </summary>
    internal sealed class PartialWriter : IDisposable
    {
        private readonly FileStream _file;
        private readonly object _gate = new object();

        private PartialWriter(FileStream file, string path)
        {
            _file = file;
            Path = path;
        }

        public string Path { get; }

        public long Length
        {
            get
            {
                lock (_gate) return _file.Length;
            }
        }

        /// <summary>A new partial file (nothing may have the name), of <paramref name="length"/> bytes: preallocated for a ranged download.</summary>
        public static PartialWriter Create(string path, long length = 0)
        {
            var writer = new PartialWriter(SafeFile.CreateNew(path), path);
            try
            {
                if (length > 0) writer._file.SetLength(length);
                return writer;
            }
            catch
            {
                writer.Dispose();
                throw;
            }
        }

        /// <summary>The existing partial file, cut to <paramref name="keep"/> bytes when given (a single-connection resume).</summary>
        public static PartialWriter Open(string path, long? keep = null)
        {
            var writer = new PartialWriter(SafeFile.OpenExisting(path), path);
            try
            {
                if (keep.HasValue) writer._file.SetLength(keep.Value);
                return writer;
            }
            catch
            {
                writer.Dispose();
                throw;
            }
        }

        public void Write(long offset, byte[] buffer, int count)
        {
            lock (_gate)
            {
                if (_file.Position != offset) _file.Position = offset;
                _file.Write(buffer, 0, count);
            }
        }

        public void Flush()
        {
            lock (_gate) _file.Flush(flushToDisk: false);
        }

        public void Dispose() => _file.Dispose();
    }
}
