using System;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Shared by every task of one wait: a rate-limit answer (429, 1302, 1303, 1305) pauses all polling for a
    /// while and stretches every interval, so the wait slows down as a whole instead of hammering. Intervals
    /// shrink back gradually as polls succeed.
    /// </summary>
    internal sealed class RateLimitGate
    {
        public const double MaxSlowdown = 8;
        private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(60);
        private readonly object _lock = new object();
        private readonly IClock _clock;
        private DateTime _notBeforeUtc = DateTime.MinValue;
        private double _slowdown = 1;
        private int _consecutive;

        public RateLimitGate(IClock? clock = null)
        {
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>No poll starts before this time (UTC).</summary>
        public DateTime NotBeforeUtc
        {
            get { lock (_lock) return _notBeforeUtc; }
        }

        /// <summary>Multiplier applied to every poll interval, 1 to <see cref="MaxSlowdown"/>.</summary>
        public double Slowdown
        {
            get { lock (_lock) return _slowdown; }
        }

        /// <summary>How long until the gate opens; zero or less when it is open.</summary>
        public TimeSpan Remaining(DateTime nowUtc) => NotBeforeUtc - nowUtc;

        /// <summary>How long until the gate opens by the gate's clock; zero or less when it is open.</summary>
        public TimeSpan Remaining() => Remaining(_clock.UtcNow);

        /// <summary>Returns when the gate is open, checking again after each pause because a new rate limit can extend it.</summary>
        public async Task WaitUntilOpenAsync(CancellationToken cancellationToken)
        {
            TimeSpan remaining;
            while ((remaining = Remaining()) > TimeSpan.Zero)
            {
                await _clock.Delay(remaining, cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
        }

        public void OnRateLimited(TimeSpan? retryAfter) => OnRateLimited(retryAfter, _clock.UtcNow);

        public void OnRateLimited(TimeSpan? retryAfter, DateTime nowUtc)
        {
            lock (_lock)
            {
                _consecutive++;
                var pause = retryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, Math.Min(_consecutive - 1, 6)));
                if (pause > MaxPause) pause = MaxPause;
                var until = nowUtc + pause;
                if (until > _notBeforeUtc) _notBeforeUtc = until;
                _slowdown = Math.Min(_slowdown * 2, MaxSlowdown);
            }
        }

        public void OnSuccess()
        {
            lock (_lock)
            {
                _consecutive = 0;
                _slowdown = Math.Max(1, _slowdown * 0.9);
            }
        }
    }
}
