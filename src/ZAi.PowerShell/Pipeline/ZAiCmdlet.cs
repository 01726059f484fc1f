using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Base of the module's cmdlets: a cancellation token that Ctrl+C (StopProcessing) cancels, and a queue
    /// through which background work reaches the cmdlet's own thread.
    /// </summary>
    public abstract class ZAiCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly MainThreadQueue _queue = new MainThreadQueue();
        private CmdletLog? _log;

        internal CancellationToken StopToken => _stopping.Token;

        internal MainThreadQueue Queue => _queue;

        internal IZAiLog Log => _log ??= new CmdletLog(this, _queue);

        /// <summary>The settings of the current connection; a terminating error when they are unusable.</summary>
        internal ConnectionSettings ResolveSettings()
        {
            try
            {
                return ZAiSession.Resolve();
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(ErrorRecords.InvalidConfiguration, ex.Message, null));
                throw;
            }
        }

        /// <summary>A request sender for the current connection; a terminating error when no key is set.</summary>
        internal ApiRequestSender CreateSender(Action<ZAiApiException>? onTransientFailure = null)
        {
            var settings = ResolveSettings();
            try
            {
                var sender = new ApiRequestSender(settings, Log, onTransientFailure);
                WriteVerbose($"Using {settings.BaseUri.AbsoluteUri} (base URI from {settings.BaseUriSource}) with key {settings.ApiKey} from {settings.ApiKeySource}.");
                return sender;
            }
            catch (ZAiApiException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromApi(ex, null));
                throw;
            }
        }

        /// <summary>Runs queued writes on this thread until the task completes; Ctrl+C ends the wait at once.</summary>
        internal void RunUntil(Task task)
        {
            try
            {
                _queue.RunUntil(task, StopToken);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected override void StopProcessing()
        {
            _stopping.Cancel();
        }

        public void Dispose()
        {
            _stopping.Cancel();
            _queue.Dispose();
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
