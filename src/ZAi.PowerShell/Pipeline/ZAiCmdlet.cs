using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Base of the module's cmdlets: a cancellation token that Ctrl+C (StopProcessing) cancels, the sink the
    /// engine writes through, and the queue through which background work reaches the cmdlet's own thread.
    /// </summary>
    public abstract class ZAiCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly WriteQueue _queue = new WriteQueue();
        private IPipelineSink? _sink;
        private IZAiLog? _log;

        internal CancellationToken StopToken => _stopping.Token;

        internal WriteQueue Queue => _queue;

        internal IPipelineSink Sink => _sink ??= new CmdletSink(this, OnDownstreamStopped);

        internal IZAiLog Log => _log ??= new QueuedLog(_queue, Sink);

        /// <summary>An engine that runs <paramref name="run"/> per item and writes through this cmdlet.</summary>
        internal ItemEngine<TItem, TResult> CreateEngine<TItem, TResult>(
            Func<TItem, CancellationToken, Task<TResult>> run,
            Action<TItem, TResult> write,
            OutputOrder order,
            int throttleLimit = int.MaxValue,
            Func<TItem, object?>? target = null,
            Func<TItem, string>? label = null)
        {
            return new ItemEngine<TItem, TResult>(Sink, _queue, StopToken, run, write, order, throttleLimit, target, label);
        }

        /// <summary>The settings of the current connection; a terminating error when they are unusable.</summary>
        internal ConnectionSettings ResolveSettings()
        {
            try
            {
                return ZAiSession.Resolve();
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidConfiguration, ex.Message, null));
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
                WriteVerbose($"Using {settings.BaseUri.AbsoluteUri} (base URI from {settings.BaseUriSource}) with key {settings.ApiKey} from {settings.ApiKeySource}, {settings.Proxy.Describe(settings.BaseUri)}.");
                return sender;
            }
            catch (ZAiApiException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromException(ex, null));
                throw;
            }
        }

        /// <summary>Runs queued writes on this thread until <paramref name="task"/> completes; Ctrl+C ends the wait at once.</summary>
        internal void RunUntil(Task task)
        {
            task.ContinueWith(_ => _queue.Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                _queue.RunUntil(() => task.IsCompleted, TimeSpan.FromMilliseconds(250), () => { }, StopToken);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Derived commands call this first: it makes -Debug print instead of asking at every line.</summary>
        protected override void BeginProcessing() => DebugSwitch.Apply(this);

        protected override void StopProcessing()
        {
            _stopping.Cancel();
        }

        /// <summary>
        /// A command downstream stopped the pipeline (Select-Object -First): PowerShell calls no StopProcessing for
        /// that, so the write that found out cancels this command's work at once, before anything new starts.
        /// </summary>
        private void OnDownstreamStopped()
        {
            try
            {
                _stopping.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already disposed: nothing runs any more.
            }
        }

        /// <summary>Releases what the command holds (files, background loops); PowerShell disposes a command also after Ctrl+C, when EndProcessing never runs.</summary>
        protected virtual void ReleaseResources()
        {
        }

        public void Dispose()
        {
            _stopping.Cancel();
            ReleaseResources();
            _queue.Dispose();
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
