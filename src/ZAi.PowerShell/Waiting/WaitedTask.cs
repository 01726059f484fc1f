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

        public volatile AsyncResult? Last;

        public int Polls;

        public volatile WaitedTaskState State = WaitedTaskState.Running;
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
