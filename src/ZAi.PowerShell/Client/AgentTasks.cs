using System;
using System.Collections.Generic;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// One account's memory of its tasks that run on the agents API (task id → agent id), held by its
    /// <see cref="Submitting.AccountState"/>. A task's agent travels with the task (AsyncResult.AgentId, an input's
    /// AgentId property); this memory serves only a bare task id, such as one typed after Start-ZAiVideoEffect, so
    /// that its polls go to <c>POST /v1/agents/async-result</c> instead of <c>GET /paas/v4/async-result</c>.
    /// Bounded: past the capacity the least recently used entry is dropped, never the newest.
    /// </summary>
    internal sealed class AgentTasks
    {
        public const int DefaultCapacity = 10_000;
        private readonly object _lock = new object();
        private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, string>>> _byTask = new Dictionary<string, LinkedListNode<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        private readonly LinkedList<KeyValuePair<string, string>> _newest = new LinkedList<KeyValuePair<string, string>>();

        public AgentTasks(int capacity = DefaultCapacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            Capacity = capacity;
        }

        public int Capacity { get; }

        public int Count
        {
            get { lock (_lock) return _byTask.Count; }
        }

        public void Remember(string taskId, string? agentId)
        {
            if (string.IsNullOrEmpty(taskId) || string.IsNullOrWhiteSpace(agentId)) return;
            var entry = new KeyValuePair<string, string>(taskId, agentId!.Trim());
            lock (_lock)
            {
                if (_byTask.TryGetValue(taskId, out var node)) _newest.Remove(node);
                _byTask[taskId] = _newest.AddFirst(entry);
                if (_newest.Count > Capacity)
                {
                    _byTask.Remove(_newest.Last!.Value.Key);
                    _newest.RemoveLast();
                }
            }
        }

        public void Remember(AsyncResult result) => Remember(result.Id, result.AgentId);

        /// <summary>The agent that runs <paramref name="taskId"/>, or null for a task of the async-result endpoint. A hit counts as a use.</summary>
        public string? AgentOf(string taskId)
        {
            if (string.IsNullOrEmpty(taskId)) return null;
            lock (_lock)
            {
                if (!_byTask.TryGetValue(taskId, out var node)) return null;
                _newest.Remove(node);
                _newest.AddFirst(node);
                return node.Value.Value;
            }
        }
    }
}
