using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Forwards client messages to the cmdlet's -Verbose and -Debug streams, on the cmdlet's thread.</summary>
    internal sealed class CmdletLog : IZAiLog
    {
        private readonly ZAiCmdlet _cmdlet;
        private readonly MainThreadQueue _queue;

        public CmdletLog(ZAiCmdlet cmdlet, MainThreadQueue queue)
        {
            _cmdlet = cmdlet;
            _queue = queue;
        }

        public void Verbose(string message) => _queue.Post(() => _cmdlet.WriteVerbose(message));

        public void Debug(string message) => _queue.Post(() => _cmdlet.WriteDebug(message));
    }
}
