using System;
using System.Collections.Generic;
using ZAi.PowerShell.Timing;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// What the session knows of one account: its room for tasks in flight (the queue and the limit estimate),
    /// our tasks running on it, the waits that poll them, the request ids chosen for it (<see cref="Requests"/>),
    /// which of its tasks run on the agents API (<see cref="Agents"/>) and its recent task ids for tab completion.
    /// Handed to the commands through the connection (see <see cref="AccountRegistry"/>), never a process-wide
    /// static: every command of a session that uses the same account shares it, another account (another key, or
    /// the same key on another base URI) never sees it, and a new connection starts afresh. A result any command reads through it
    /// (<see cref="Observe"/>) frees the room of a finished task; submitters that want to know whether a task
    /// finished ask the waits polling it to poll now (<see cref="TryNudge"/>) instead of polling it again.
    /// </summary>
    internal sealed class AccountState : IClientAccount
    {
        private readonly object _lock = new object();
        private readonly Dictionary<string, List<Action>> _waited = new Dictionary<string, List<Action>>(StringComparer.Ordinal);

        public AccountState(IClock? clock = null)
        {
            Capacity = new SubmissionCapacity(clock);
        }

        public SubmissionCapacity Capacity { get; }

        /// <summary>Request ids chosen with -RequestId and the task each created on this account.</summary>
        public SubmittedRequests Requests { get; } = new SubmittedRequests();

        /// <summary>This account's tasks that run on the agents API, for a bare task id that must find its agent.</summary>
        public Client.AgentTasks Agents { get; } = new Client.AgentTasks();

        public Client.FirstSuccesses Successes { get; } = new Client.FirstSuccesses();

        /// <summary>Task ids seen in this account's results, for tab completion.</summary>
        public Submitting.RecentTaskIds RecentTaskIds { get; } = new Submitting.RecentTaskIds();

        /// <summary>A submission was accepted: <paramref name="taskId"/> now holds room.</summary>
        public void Track(string taskId) => Capacity.Accepted(taskId);

        /// <summary>A task of an earlier run (from a journal) that may still hold room until seen finished.</summary>
        public void Adopt(string taskId) => Capacity.Adopt(taskId);

        /// <summary>Any result read for this account: a finished task of ours frees its room.</summary>
        public void Observe(AsyncResult result)
        {
            if (result.IsTerminal) Capacity.Finished(result.Id);
        }

        /// <summary>A wait polls <paramref name="taskId"/>; disposing the registration ends it. Two waits on one id each keep their own.</summary>
        public IDisposable WaitStarted(string taskId, Action nudge)
        {
            lock (_lock)
            {
                if (!_waited.TryGetValue(taskId, out var nudges)) _waited[taskId] = nudges = new List<Action>(1);
                nudges.Add(nudge);
            }
            return new Registration(() =>
            {
                lock (_lock)
                {
                    if (!_waited.TryGetValue(taskId, out var nudges)) return;
                    nudges.Remove(nudge);
                    if (nudges.Count == 0) _waited.Remove(taskId);
                }
            });
        }

        /// <summary>Asks every wait polling <paramref name="taskId"/> to poll now; false when none does.</summary>
        public bool TryNudge(string taskId)
        {
            Action[] nudges;
            lock (_lock)
            {
                if (!_waited.TryGetValue(taskId, out var list)) return false;
                nudges = list.ToArray();
            }
            foreach (var nudge in nudges) nudge();
            return true;
        }

        /// <summary>Waits registered now (for tests).</summary>
        internal int WaitCount
        {
            get { lock (_lock) return _waited.Count; }
        }

        private sealed class Registration : IDisposable
        {
            private Action? _end;

            public Registration(Action end)
            {
                _end = end;
            }

            public void Dispose() => System.Threading.Interlocked.Exchange(ref _end, null)?.Invoke();
        }
    }
}
