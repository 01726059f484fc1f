namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// The account a client reads results for, as the client sees it: the agents' tasks it remembers (for a bare task
    /// id), when it first saw each task succeed, and every result read, so that its queue frees a finished task's
    /// room. Submitting's AccountState is one.
    /// </summary>
    internal interface IClientAccount
    {
        AgentTasks Agents { get; }

        /// <summary>When each of the account's tasks was first seen succeeded (link expiry counts from then).</summary>
        FirstSuccesses Successes { get; }

        void Observe(AsyncResult result);
    }
}
