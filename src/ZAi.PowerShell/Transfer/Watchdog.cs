using System;
using System.Threading;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Checked periodically while a body is read: cancels the read when nothing arrived for the read timeout, or
    /// when the file has fallen below its minimum throughput (its deadline). Never throws: it runs on a timer thread,
    /// where an exception would end the process.
    /// </summary>
    internal sealed class Watchdog
    {
        private readonly IClock _clock;
        private readonly TimeSpan _readTimeout;
        private readonly DownloadLimits _limits;
        private readonly FileRun _run;
        private readonly CancellationTokenSource _timeout;
        private long _lastProgressTicks;
        private int _tooSlow;

        public Watchdog(IClock clock, TimeSpan readTimeout, DownloadLimits limits, FileRun run, CancellationTokenSource timeout)
        {
            _clock = clock;
            _readTimeout = readTimeout;
            _limits = limits;
            _run = run;
            _timeout = timeout;
            _lastProgressTicks = clock.Elapsed.Ticks;
        }

        /// <summary>True once the read was cancelled because the file's deadline passed.</summary>
        public bool TooSlow => Volatile.Read(ref _tooSlow) != 0;

        /// <summary>A read completed.</summary>
        public void Progressed() => Interlocked.Exchange(ref _lastProgressTicks, _clock.Elapsed.Ticks);

        public void Check()
        {
            var now = _clock.Elapsed;
            if (_limits.TooSlow(now - _run.Started, _run.Received))
            {
                Interlocked.Exchange(ref _tooSlow, 1);
                Cancel();
            }
            else if (now - TimeSpan.FromTicks(Interlocked.Read(ref _lastProgressTicks)) > _readTimeout)
            {
                Cancel();
            }
        }

        private void Cancel()
        {
            try
            {
                _timeout.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The download already ended.
            }
            catch (AggregateException)
            {
                // A registration (disposing the response) threw; the read is cancelled either way.
            }
        }
    }

    /// <summary>One file's download across its attempts: when it began and the bytes received since.</summary>
    internal sealed class FileRun
    {
        private long _received;

        public FileRun(TimeSpan started)
        {
            Started = started;
        }

        /// <summary>The clock's Elapsed when the download began.</summary>
        public TimeSpan Started { get; }

        public long Received => Interlocked.Read(ref _received);

        public void Add(long bytes) => Interlocked.Add(ref _received, bytes);
    }
}
