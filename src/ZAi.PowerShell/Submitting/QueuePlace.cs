using System;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// A request's place in an account's line (<see cref="SubmissionCapacity.AcquireAsync"/>): its number, taken the
    /// first time it asks for room, and when that was. A request refused with 1302 keeps it, so it goes back to where
    /// it stood and its queue time is not started again by each refusal.
    /// </summary>
    internal sealed class QueuePlace
    {
        public bool Taken { get; private set; }

        /// <summary>Order of first asking; a lower number goes first.</summary>
        public long Number { get; private set; }

        /// <summary>When the request first asked for room (the capacity's clock).</summary>
        public TimeSpan Since { get; private set; }

        /// <summary>Called by the capacity under its lock, once.</summary>
        internal void Take(long number, TimeSpan since)
        {
            Number = number;
            Since = since;
            Taken = true;
        }
    }
}
