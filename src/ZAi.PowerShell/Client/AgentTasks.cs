using System;
using System.Collections.Concurrent;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// The tasks of this process that run on the agents API (task id → agent id), so every poll of them — a Wait, a
    /// Get, the submitters' watcher, a Save fetching a shallow input again — goes to <c>POST /v1/agents/async-result</c>
    /// instead of <c>GET /paas/v4/async-result</c>. Filled by the submissions, by results read from the agents API and
    /// by inputs that carry an AgentId property. Bounded: the oldest half is dropped past the capacity.
    /// </summary>
    internal static class AgentTasks
    {
        public const int Capacity = 100_000;
        private static readonly ConcurrentDictionary<string, string> ByTask = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        public static void Remember(string taskId, string? agentId)
        {
            if (string.IsNullOrEmpty(taskId) || string.IsNullOrWhiteSpace(agentId)) return;
            if (ByTask.Count >= Capacity) ByTask.Clear();
            ByTask[taskId] = agentId!.Trim();
        }

        public static void Remember(AsyncResult result) => Remember(result.Id, result.AgentId);

        /// <summary>The agent that runs <paramref name="taskId"/>, or null for a task of the async-result endpoint.</summary>
        public static string? AgentOf(string taskId) => ByTask.TryGetValue(taskId, out var agent) ? agent : null;

        internal static void Clear() => ByTask.Clear();
    }
}
