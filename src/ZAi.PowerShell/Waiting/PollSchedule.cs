using System;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>
    /// When to poll a task next. The first poll is immediate; the next comes after the first interval, and each
    /// interval after that is 1.5 times the last, up to the cap. Each interval is shortened by up to 10% at
    /// random so that many tasks drift apart instead of polling in lockstep, and never exceeds the cap.
    /// </summary>
    internal sealed class PollSchedule
    {
        public const double Growth = 1.5;
        public const double Jitter = 0.1;

        public PollSchedule(TimeSpan first, TimeSpan max)
        {
            if (first <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(first), "The first poll interval must be positive.");
            First = first;
            Max = max < first ? first : max;
        }

        public TimeSpan First { get; }

        public TimeSpan Max { get; }

        /// <summary>The interval without jitter after <paramref name="pollsDone"/> polls (1 or more).</summary>
        public TimeSpan Nominal(int pollsDone)
        {
            var seconds = First.TotalSeconds * Math.Pow(Growth, Math.Min(Math.Max(pollsDone - 1, 0), 64));
            return TimeSpan.FromSeconds(Math.Min(seconds, Max.TotalSeconds));
        }

        /// <param name="pollsDone">Polls made so far (1 or more).</param>
        /// <param name="unitRandom">A value in [0, 1) that picks the jitter.</param>
        public TimeSpan Next(int pollsDone, double unitRandom)
        {
            var factor = 1.0 - (Jitter * unitRandom);
            return TimeSpan.FromTicks((long)(Nominal(pollsDone).Ticks * factor));
        }
    }
}
