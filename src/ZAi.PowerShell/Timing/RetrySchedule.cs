using System;
using System.Threading;

namespace ZAi.PowerShell.Timing
{
    /// <summary>
    /// How many retries, and how long to wait before each: exponential backoff with jitter (0.5 s, 1 s, 2 s ...
    /// capped at 8 s, each scaled by a random factor in [0.75, 1]), or the server's Retry-After, capped at one minute.
    /// Which failures are worth a retry is the caller's to say (<see cref="RetryLoop"/>).
    /// </summary>
    internal class RetrySchedule
    {
        public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(0.5);
        public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);
        public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

        private static int _seed = Environment.TickCount;
        private static readonly ThreadLocal<Random> Random =
            new ThreadLocal<Random>(() => new Random(Interlocked.Increment(ref _seed)));

        public RetrySchedule(int maxRetries)
        {
            if (maxRetries < 0) throw new ArgumentOutOfRangeException(nameof(maxRetries), "The retry count cannot be negative.");
            MaxRetries = maxRetries;
        }

        public int MaxRetries { get; }

        /// <summary>The same decision for any failure: transient ones are retried until the budget is used up.</summary>
        public bool ShouldRetry(bool isTransient, int retriesSoFar) => isTransient && retriesSoFar < MaxRetries;

        /// <param name="retryNumber">0 for the first retry.</param>
        /// <param name="retryAfter">The server's Retry-After, if it sent one.</param>
        public TimeSpan Delay(int retryNumber, TimeSpan? retryAfter)
        {
            if (retryAfter.HasValue)
            {
                return retryAfter.Value > MaxRetryAfter ? MaxRetryAfter : retryAfter.Value;
            }
            return Backoff(retryNumber, Random.Value!.NextDouble());
        }

        /// <param name="unitRandom">A value in [0, 1) that picks the jitter.</param>
        internal static TimeSpan Backoff(int retryNumber, double unitRandom)
        {
            var exponential = BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(retryNumber, 30));
            var capped = Math.Min(exponential, MaxBackoff.TotalSeconds);
            var jitter = 0.75 + (0.25 * unitRandom);
            return TimeSpan.FromSeconds(capped * jitter);
        }
    }
}
