namespace ZAi.PowerShell.Client
{
    /// <summary>Where the client reports what it is doing; cmdlets forward it to -Verbose and -Debug.</summary>
    internal interface IZAiLog
    {
        void Verbose(string message);

        void Debug(string message);
    }

    internal sealed class NullLog : IZAiLog
    {
        public static readonly NullLog Instance = new NullLog();

        public void Verbose(string message) { }

        public void Debug(string message) { }
    }
}
