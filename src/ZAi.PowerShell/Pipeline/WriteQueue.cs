using System;
using System.Collections.Concurrent;
using System.Threading;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Work that background tasks hand to the cmdlet's own thread, the only one PowerShell lets write. The
    /// cmdlet thread runs what is queued while it waits, so messages and results appear as they happen.
    /// </summary>
    internal sealed class WriteQueue : IDisposable
    {
        private static readonly Action Nothing = () => { };
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

        /// <summary>Wakes <see cref="RunUntil"/> so it checks its condition again now.</summary>
        public void Wake() => Post(Nothing);

        /// <summary>Runs what is queued now, without waiting.</summary>
        public void RunPending()
        {
            while (_actions.TryTake(out var action))
            {
                action();
            }
        }

        /// <summary>
        /// Runs queued actions on the calling thread until <paramref name="done"/> holds, calling
        /// <paramref name="afterEach"/> after each action and at least every <paramref name="tick"/>. Whoever makes
        /// <paramref name="done"/> true must post or <see cref="Wake"/>, so the loop ends at once.
        /// </summary>
        /// <exception cref="OperationCanceledException">When <paramref name="stopping"/> is cancelled first.</exception>
        public void RunUntil(Func<bool> done, TimeSpan tick, Action afterEach, CancellationToken stopping)
        {
            var milliseconds = (int)Math.Max(1, Math.Min(int.MaxValue, tick.TotalMilliseconds));
            while (!done())
            {
                if (_actions.TryTake(out var action, milliseconds, stopping)) action();
                afterEach();
            }
            RunPending();
        }

        public void Dispose()
        {
            _actions.CompleteAdding();
            _actions.Dispose();
        }
    }
}
