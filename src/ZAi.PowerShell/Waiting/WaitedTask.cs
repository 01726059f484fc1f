using System.Collections.Generic;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Waiting
{
    /// <summary>One task's state during a wait; written only by that task's poll loop.</summary>
    internal sealed class WaitedTask
    {
        public WaitedTask(string id, int index)
        {
            Id = id;
            Index = index;
        }

        public string Id { get; }

        public int Index { get; }

        /// <summary>Its place among the tasks still waited for; null once its wait is over.</summary>
        public LinkedListNode<WaitedTask>? Node { get; set; }

        public volatile AsyncResult? Last;

        public int Polls;

        public volatile WaitedTaskState State = WaitedTaskState.Running;

        private TaskCompletionSource<bool> _nudge = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when someone asks for this task to be polled now (see <see cref="Nudge"/>).</summary>
        public System.Threading.Tasks.Task Nudged => System.Threading.Volatile.Read(ref _nudge).Task;

        /// <summary>Asks the task's poll loop to poll now instead of at its next interval.</summary>
        public void Nudge() => System.Threading.Volatile.Read(ref _nudge).TrySetResult(true);

        /// <summary>Called by the poll loop as it polls, so a later nudge wakes the next wait.</summary>
        public void ClearNudge()
        {
            if (System.Threading.Volatile.Read(ref _nudge).Task.IsCompleted)
            {
                System.Threading.Volatile.Write(ref _nudge, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
    }

    internal enum WaitedTaskState
    {
        Running,
        Succeeded,
        Failed,
        Error,
        TimedOut,
        Abandoned,
    }
}
