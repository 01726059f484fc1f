using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Timing
{
    /// <summary>The real clock: DateTime.UtcNow, a process-wide Stopwatch, Task.Delay and thread-pool timers.</summary>
    internal sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new SystemClock();
        private static readonly Stopwatch Started = Stopwatch.StartNew();

        private SystemClock()
        {
        }

        public DateTime UtcNow => DateTime.UtcNow;

        public TimeSpan Elapsed => Started.Elapsed;

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(TimerDelay(delay), cancellationToken);
        }

        /// <summary>
        /// <paramref name="delay"/> rounded up to whole milliseconds, which is what a timer counts. Task.Delay cuts the
        /// fraction off, so a wait of 0.4 ms was no wait at all, and a loop that sleeps until a time on this clock
        /// (a poll's turn, a gate's opening) turned thousands of times through that last millisecond when its timer
        /// fired a little early.
        /// </summary>
        internal static TimeSpan TimerDelay(TimeSpan delay)
        {
            var part = delay.Ticks % TimeSpan.TicksPerMillisecond;
            return part == 0 ? delay : TimeSpan.FromTicks(delay.Ticks - part + TimeSpan.TicksPerMillisecond);
        }

        public IDisposable Every(TimeSpan period, Action callback) => new PeriodicCallback(period, callback);

        /// <summary>
        /// A timer whose Dispose waits for a running callback: Timer.Dispose alone does not, so a callback could
        /// still touch what its owner disposed right after (and an exception on a pool thread ends the process).
        /// </summary>
        private sealed class PeriodicCallback : IDisposable
        {
            private readonly object _lock = new object();
            private readonly Action _callback;
            private readonly Timer _timer;
            private bool _disposed;

            public PeriodicCallback(TimeSpan period, Action callback)
            {
                _callback = callback;
                _timer = new Timer(_ => Fire(), null, period, period);
            }

            private void Fire()
            {
                lock (_lock)
                {
                    if (_disposed) return;
                    _callback();
                }
            }

            public void Dispose()
            {
                lock (_lock)
                {
                    _disposed = true;
                }
                _timer.Dispose();
            }
        }
    }
}
