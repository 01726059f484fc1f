using System;

namespace ZAi
{
    /// <summary>A task that ended with status FAIL, or did not finish in time. <see cref="Result"/> is its last known state.</summary>
    public sealed class ZAiTaskFailedException : Exception
    {
        internal ZAiTaskFailedException(string taskId, AsyncResult? result, string message)
            : base(PowerShell.Client.ServerText.Printable(message))
        {
            TaskId = taskId;
            Result = result;
        }

        /// <summary>The task id.</summary>
        public string TaskId { get; }

        /// <summary>The last result read for the task (null if no poll ever succeeded).</summary>
        public AsyncResult? Result { get; }
    }
}
