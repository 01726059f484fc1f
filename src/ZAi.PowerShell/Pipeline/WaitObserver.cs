using System;
using System.Globalization;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Waiting;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Turns wait events into -Verbose messages on the cmdlet's thread. Results, task failures and timeouts
    /// reach the pipeline through the engine, as each task's outcome.
    /// </summary>
    internal sealed class WaitObserver : IWaitObserver
    {
        private readonly IPipelineSink _sink;
        private readonly WriteQueue _queue;
        private readonly RecentTaskIds? _recent;

        /// <param name="recent">The account's recent task ids (tab completion), which learn each finished task.</param>
        public WaitObserver(IPipelineSink sink, WriteQueue queue, RecentTaskIds? recent = null)
        {
            _sink = sink;
            _queue = queue;
            _recent = recent;
        }

        public void Finished(AsyncResult result) => _recent?.Remember(result.Id);

        public void StatusChanged(string taskId, string? from, AsyncResult result, TimeSpan elapsed, int polls)
        {
            var message = from is null
                ? $"Task '{TaskIdPath.Shown(taskId)}': {result.TaskStatus ?? "(no status)"} at {Clock(elapsed)}."
                : $"Task '{TaskIdPath.Shown(taskId)}': {from} -> {result.TaskStatus ?? "(no status)"} at {Clock(elapsed)} after {polls} polls.";
            _queue.Post(() => _sink.WriteVerbose(message));
        }

        public void PollFailed(string taskId, Exception error, bool keepsWaiting)
        {
            if (keepsWaiting) _queue.Post(() => _sink.WriteVerbose($"{error.Message} Still waiting; the task will be polled again."));
        }

        public void TimedOut(string taskId, AsyncResult? last, TimeSpan limit)
        {
        }

        internal static string Clock(TimeSpan elapsed)
        {
            return elapsed.TotalHours >= 1
                ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
                : elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture);
        }
    }
}
