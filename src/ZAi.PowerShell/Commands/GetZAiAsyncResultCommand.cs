using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Get-ZAiAsyncResult: one GET /paas/v4/async-result/{id} per task id. Requests overlap (up to
    /// -ThrottleLimit in flight) but results are written in input order.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ZAiAsyncResult")]
    [OutputType(typeof(AsyncResult))]
    public sealed class GetZAiAsyncResultCommand : TaskIdCmdlet
    {
        private readonly Queue<KeyValuePair<string, Task<AsyncResult>>> _inFlight = new Queue<KeyValuePair<string, Task<AsyncResult>>>();
        private AsyncResultClient? _client;

        /// <summary>How many requests may be in flight at once. Default: 8.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void BeginProcessing()
        {
            _client = new AsyncResultClient(CreateSender());
        }

        protected override void ProcessRecord()
        {
            foreach (var id in ValidIds())
            {
                while (_inFlight.Count >= ThrottleLimit) WriteOldest();
                var taskId = id;
                _inFlight.Enqueue(new KeyValuePair<string, Task<AsyncResult>>(
                    taskId, Task.Run(() => _client!.GetAsync(taskId, StopToken))));
            }

            while (_inFlight.Count > 0 && _inFlight.Peek().Value.IsCompleted) WriteOldest();
            Queue.RunPending();
        }

        protected override void EndProcessing()
        {
            while (_inFlight.Count > 0) WriteOldest();
        }

        private void WriteOldest()
        {
            var entry = _inFlight.Dequeue();
            var fetch = entry.Value;
            RunUntil(fetch);
            if (fetch.IsFaulted)
            {
                WriteError(ErrorRecords.FromException(fetch.Exception!.GetBaseException(), entry.Key));
                return;
            }
            if (fetch.IsCanceled) throw new PipelineStoppedException();

            var result = fetch.Result;
            WriteVerbose($"Task '{TaskIdPath.Shown(result.Id)}': {result.TaskStatus ?? "(no task_status)"}, {result.Kind}, {result.MediaCount} media.");
            RecentTaskIds.Remember(result.Id);
            WriteObject(result);
        }
    }
}
