using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Client messages from any thread, written to -Verbose and -Debug on the cmdlet's thread.</summary>
    internal sealed class QueuedLog : IZAiLog
    {
        private readonly WriteQueue _queue;
        private readonly IPipelineSink _sink;

        public QueuedLog(WriteQueue queue, IPipelineSink sink)
        {
            _queue = queue;
            _sink = sink;
        }

        public void Verbose(string message) => _queue.Post(() => _sink.WriteVerbose(message));

        public void Debug(string message) => _queue.Post(() => _sink.WriteDebug(message));
    }
}
