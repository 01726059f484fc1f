using System;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>How Wait-ZAiAsyncResult polls.</summary>
    internal sealed class WaitOptions
    {
        public static readonly TimeSpan DefaultFirstInterval = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan DefaultMaxInterval = TimeSpan.FromSeconds(30);
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);
        public const int DefaultThrottleLimit = 10;

        /// <summary>The longest -TimeoutSec: about 24.8 days, the most a timer takes on every runtime (int.MaxValue ms).</summary>
        public const int MaxTimeoutSec = 2147483;

        public TimeSpan FirstInterval { get; set; } = DefaultFirstInterval;

        public TimeSpan MaxInterval { get; set; } = DefaultMaxInterval;

        /// <summary>The overall limit; null waits without one.</summary>
        public TimeSpan? Timeout { get; set; } = DefaultTimeout;

        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>Stop at the first task that reaches SUCCESS or FAIL.</summary>
        public bool Any { get; set; }

        /// <summary>The options of Wait-ZAiAsyncResult's parameters; a time limit of 0 means none.</summary>
        public static WaitOptions FromParameters(double pollIntervalSec, double maxPollIntervalSec, int timeoutSec, int throttleLimit, bool any) => new WaitOptions
        {
            FirstInterval = TimeSpan.FromSeconds(pollIntervalSec),
            MaxInterval = TimeSpan.FromSeconds(Math.Max(maxPollIntervalSec, pollIntervalSec)),
            Timeout = timeoutSec == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(timeoutSec),
            ThrottleLimit = throttleLimit,
            Any = any,
        };

        /// <summary>What -Verbose says about the wait.</summary>
        public string Describe() =>
            $"first interval {FirstInterval.TotalSeconds:0.##} s, at most {MaxInterval.TotalSeconds:0.##} s, "
            + (Timeout.HasValue ? $"limit {Timeout.Value.TotalSeconds:0.#} s per task" : "no time limit")
            + $", {ThrottleLimit} requests in flight at most";
    }
}
