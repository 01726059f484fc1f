using System.Management.Automation;
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
        private ItemEngine<string, AsyncResult>? _engine;

        /// <summary>How many requests may be in flight at once. Default: 8.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var client = new AsyncResultClient(CreateSender());
            _engine = CreateEngine<string, AsyncResult>(client.GetAsync, (_, result) => Write(result), OutputOrder.Input, ThrottleLimit);
        }

        protected override void ProcessRecord()
        {
            foreach (var id in ValidIds()) _engine!.Add(id);
            _engine!.Pump();
        }

        protected override void EndProcessing() => _engine!.Complete();

        private void Write(AsyncResult result)
        {
            WriteVerbose($"Task '{TaskIdPath.Shown(result.Id)}': {result.TaskStatus ?? "(no task_status)"}, {result.Kind}, {result.MediaCount} media.");
            RecentTaskIds.Remember(result.Id);
            WriteObject(result);
        }
    }
}
