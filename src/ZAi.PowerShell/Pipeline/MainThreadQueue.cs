using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Work that background tasks hand to the cmdlet's own thread: PowerShell only allows WriteObject,
    /// WriteError, WriteVerbose and WriteProgress there. The cmdlet thread runs the queued actions while it
    /// waits for a task, so messages appear as they happen rather than at the end.
    /// </summary>
    internal sealed class MainThreadQueue : IDisposable
    {
        private static readonly Action Wake = () => { };
        private readonly BlockingCollection<Action> _actions = new BlockingCollection<Action>();

        public void Post(Action action)
        {
            try
            {
                _actions.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The cmdlet has finished (this includes ObjectDisposedException); late messages from cancelled work are dropped.
            }
        }

        /// <summary>Runs queued actions on the calling thread until <paramref name="task"/> completes.</summary>
        /// <exception cref="OperationCanceledException">When <paramref name="stopping"/> is cancelled first.</exception>
        public void RunUntil(Task task, CancellationToken stopping)
        {
            if (!task.IsCompleted)
            {
                task.ContinueWith(_ => Post(Wake), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            while (!task.IsCompleted)
            {
                _actions.Take(stopping)();
            }
            RunPending();
        }

        /// <summary>Runs what is queued now, without waiting.</summary>
        public void RunPending()
        {
            while (_actions.TryTake(out var action))
            {
                action();
            }
        }

        /// <summary>Waits up to <paramref name="timeout"/> for one action and runs it; false when none came.</summary>
        public bool RunNext(TimeSpan timeout, CancellationToken stopping)
        {
            if (!_actions.TryTake(out var action, (int)Math.Max(0, Math.Min(int.MaxValue, timeout.TotalMilliseconds)), stopping)) return false;
            action();
            return true;
        }

        public void Dispose()
        {
            _actions.CompleteAdding();
            _actions.Dispose();
        }
    }
}
