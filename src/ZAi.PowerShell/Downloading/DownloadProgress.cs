using System.Threading;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>Bytes of one file so far; written by its download, read by the progress bar.</summary>
    internal sealed class DownloadProgress
    {
        private long _bytes;
        private long _received;
        private long _total = -1;

        public DownloadProgress(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public long Bytes => Interlocked.Read(ref _bytes);

        /// <summary>Bytes received in this run: a resumed file's earlier bytes are in <see cref="Bytes"/> but not here, so rates stay true.</summary>
        public long Received => Interlocked.Read(ref _received);

        /// <summary>The file's full size, or -1 while unknown.</summary>
        public long Total => Interlocked.Read(ref _total);

        public void SetTotal(long total) => Interlocked.Exchange(ref _total, total);

        public void Reset(long bytes) => Interlocked.Exchange(ref _bytes, bytes);

        public void Add(long bytes)
        {
            Interlocked.Add(ref _bytes, bytes);
            Interlocked.Add(ref _received, bytes);
        }
    }
}
