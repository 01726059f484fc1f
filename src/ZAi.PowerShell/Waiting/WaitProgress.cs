using System;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>Counts of a wait at one moment, for the progress bar.</summary>
    internal sealed class WaitProgress
    {
        public int Total { get; set; }

        public int Succeeded { get; set; }

        public int Failed { get; set; }

        /// <summary>Tasks given up after an error that retrying cannot fix (e.g. not found).</summary>
        public int Errors { get; set; }

        public int TimedOut { get; set; }

        public int Running { get; set; }

        public int Done => Succeeded + Failed + Errors + TimedOut;

        /// <summary>This snapshot with <paramref name="accepted"/> tasks in all: those not polled yet count as running.</summary>
        public WaitProgress Counting(int accepted)
        {
            if (accepted > Total)
            {
                Running += accepted - Total;
                Total = accepted;
            }
            return this;
        }

        public TimeSpan Elapsed { get; set; }

        /// <summary>"0:12: 3 succeeded, ..." for the summary at the end of a wait.</summary>
        public string Summary() =>
            $"{Pipeline.WaitObserver.Clock(Elapsed)}: {Succeeded} succeeded, {Failed} failed, {Errors} errors, {TimedOut} timed out, {Running} not finished";

        /// <summary>The first task, in input order, that is still running.</summary>
        public string? OldestRunningId { get; set; }

        public string? OldestRunningStatus { get; set; }
    }
}
