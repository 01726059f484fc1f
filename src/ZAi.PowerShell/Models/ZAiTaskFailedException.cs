using System;
using ZAi.PowerShell.Errors;

namespace ZAi
{
    /// <summary>A task that ended with status FAIL, or did not finish in time. <see cref="Result"/> is its last known state.</summary>
    public sealed class ZAiTaskFailedException : Exception
    {
        internal ZAiTaskFailedException(string taskId, AsyncResult? result, string message, bool timedOut = false)
            : base(PowerShell.Errors.ServerText.Printable(message))
        {
            TaskId = taskId;
            Result = result;
            TimedOut = timedOut;
        }

        /// <summary>True when the task did not finish within the wait's time limit (ZAiWaitTimeout) rather than failing (ZAiTaskFailed).</summary>
        public bool TimedOut { get; }

        /// <summary>The error for a task that ended with FAIL.</summary>
        internal static ZAiTaskFailedException ForFailedResult(AsyncResult result)
        {
            return new ZAiTaskFailedException(
                result.Id,
                result,
                $"Task '{ZAi.PowerShell.Client.TaskIdPath.Shown(result.Id)}' failed: the API reported task_status {result.TaskStatus}"
                + (result.Model is null ? "." : $" for model {result.Model}.")
                + (result.ErrorMessage is null && result.ErrorCode is null ? string.Empty : $" Error{(result.ErrorCode is null ? string.Empty : " " + result.ErrorCode)}: {result.ErrorMessage ?? "(no message)"}")
                + (result.RequestId is null ? string.Empty : $" Request id: {result.RequestId}."));
        }

        /// <summary>The task id.</summary>
        public string TaskId { get; }

        /// <summary>The last result read for the task (null if no poll ever succeeded).</summary>
        public AsyncResult? Result { get; }
    }
}
