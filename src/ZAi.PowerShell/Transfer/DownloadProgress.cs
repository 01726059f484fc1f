using System;
using System.Threading;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>Bytes of one file so far; written by its download, read by the progress bar.</summary>
    internal sealed class DownloadProgress
    {
        private long _bytes;
        private long _received;
        private long _total = -1;
        private long _started = -1; // ticks of the downloader's clock's elapsed time

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

        /// <summary>Marks when the download began (the clock's <c>Elapsed</c>); later calls keep the first.</summary>
        public void Begin(TimeSpan elapsed) => Interlocked.CompareExchange(ref _started, elapsed.Ticks, -1);

        /// <summary>
        /// Bytes received per second since <see cref="Begin"/>, over all the file's connections; bytes resumed from an
        /// earlier run are not counted, so the rate is what the link gives now. 0 before the download began.
        /// </summary>
        public double BytesPerSecond(TimeSpan elapsed)
        {
            var started = Interlocked.Read(ref _started);
            if (started < 0 || elapsed.Ticks <= started) return 0;
            return Received / TimeSpan.FromTicks(elapsed.Ticks - started).TotalSeconds;
        }

        public void Add(long bytes)
        {
            Interlocked.Add(ref _bytes, bytes);
            Interlocked.Add(ref _received, bytes);
        }
    }
}
