namespace ZAi
{
    /// <summary>Where Connect-ZAi keeps a connection.</summary>
    public enum ConnectionScope
    {
        /// <summary>The whole process: every runspace without a connection of its own uses it, including those of ForEach-Object -Parallel and Start-ThreadJob.</summary>
        Process,

        /// <summary>The current runspace only, ahead of the process connection: for hosts that serve several users or accounts from one process.</summary>
        Runspace,
    }
}
