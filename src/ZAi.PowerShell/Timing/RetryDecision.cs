using System;

namespace ZAi.PowerShell.Timing
{
    /// <summary>What a caller says about a failed attempt: try again after a wait (zero: at once), or give up.</summary>
    internal readonly struct RetryDecision
    {
        private RetryDecision(bool retries, TimeSpan delay)
        {
            Retries = retries;
            Delay = delay;
        }

        /// <summary>The failure ends the loop as it is.</summary>
        public static RetryDecision GiveUp => default;

        public bool Retries { get; }

        public TimeSpan Delay { get; }

        /// <summary>Another attempt after <paramref name="delay"/> on the loop's clock.</summary>
        public static RetryDecision After(TimeSpan delay) => new RetryDecision(true, delay);
    }
}
