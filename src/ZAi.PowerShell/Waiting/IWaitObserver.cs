using System;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>What a wait reports, from background threads; the cmdlet forwards each event to its own thread.</summary>
    internal interface IWaitObserver
    {
        /// <summary>The task reached SUCCESS or FAIL.</summary>
        void Finished(AsyncResult result);

        /// <summary>The task's raw status changed (the first poll counts as a change from null).</summary>
        void StatusChanged(string taskId, string? from, AsyncResult result, TimeSpan elapsed, int polls);

        /// <summary>A poll failed. When <paramref name="keepsWaiting"/> is false the task is given up.</summary>
        void PollFailed(string taskId, Exception error, bool keepsWaiting);

        /// <summary>The overall limit passed before the task finished.</summary>
        void TimedOut(string taskId, AsyncResult? last, TimeSpan limit);
    }
}
