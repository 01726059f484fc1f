using System;
using System.Globalization;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Waiting;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Turns wait events into pipeline output, errors and verbose messages on the cmdlet's thread.</summary>
    internal sealed class WaitObserver : IWaitObserver
    {
        public const string TaskFailed = "ZAiTaskFailed";
        public const string WaitTimeout = "ZAiWaitTimeout";

        private readonly ZAiCmdlet _cmdlet;
        private readonly MainThreadQueue _queue;

        public WaitObserver(ZAiCmdlet cmdlet, MainThreadQueue queue)
        {
            _cmdlet = cmdlet;
            _queue = queue;
        }

        public void Finished(AsyncResult result)
        {
            RecentTaskIds.Remember(result.Id);
            if (result.StatusValue == AsyncTaskStatus.Success)
            {
                _queue.Post(() => _cmdlet.WriteObject(result));
                return;
            }
            var error = new ZAiTaskFailedException(
                result.Id,
                result,
                $"Task '{TaskIdPath.Shown(result.Id)}' failed: the API reported task_status {result.TaskStatus}"
                + (result.Model is null ? "." : $" for model {result.Model}.")
                + (result.RequestId is null ? string.Empty : $" Request id: {result.RequestId}."));
            _queue.Post(() => _cmdlet.WriteError(new ErrorRecord(error, TaskFailed, ErrorCategory.InvalidResult, result)));
        }

        public void StatusChanged(string taskId, string? from, AsyncResult result, TimeSpan elapsed, int polls)
        {
            var message = from is null
                ? $"Task '{TaskIdPath.Shown(taskId)}': {result.TaskStatus ?? "(no status)"} at {Clock(elapsed)}."
                : $"Task '{TaskIdPath.Shown(taskId)}': {from} -> {result.TaskStatus ?? "(no status)"} at {Clock(elapsed)} after {polls} polls.";
            _queue.Post(() => _cmdlet.WriteVerbose(message));
        }

        public void PollFailed(string taskId, Exception error, bool keepsWaiting)
        {
            if (keepsWaiting)
            {
                _queue.Post(() => _cmdlet.WriteVerbose($"{error.Message} Still waiting; the task will be polled again."));
                return;
            }
            _queue.Post(() => _cmdlet.WriteError(ErrorRecords.FromException(error, taskId)));
        }

        public void TimedOut(string taskId, AsyncResult? last, TimeSpan limit)
        {
            var error = new ZAiTaskFailedException(
                taskId,
                last,
                $"Task '{TaskIdPath.Shown(taskId)}' did not finish within {limit.TotalSeconds:0.#} s (-TimeoutSec); last status: {last?.TaskStatus ?? "never read"}. Wait again with the same id to keep waiting.");
            _queue.Post(() => _cmdlet.WriteError(new ErrorRecord(error, WaitTimeout, ErrorCategory.OperationTimeout, (object?)last ?? taskId)));
        }

        internal static string Clock(TimeSpan elapsed)
        {
            return elapsed.TotalHours >= 1
                ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
                : elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture);
        }
    }
}
