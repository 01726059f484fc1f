using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Get-ZAiAsyncResult: one GET /paas/v4/async-result/{id} per task id. Requests overlap (up to
    /// -ThrottleLimit in flight) but results are written in input order.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ZAiAsyncResult", HelpUri = HelpLinks.Docs + "Get-ZAiAsyncResult.md")]
    [OutputType(typeof(AsyncResult))]
    public sealed class GetZAiAsyncResultCommand : TaskIdCmdlet
    {
        private ItemEngine<(string Id, string? Prompt, string? AgentId), AsyncResult>? _engine;
        private Submitting.AccountState? _account;

        /// <summary>How many requests may be in flight at once. Default: 8.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>The prompt the task was submitted with, bound from the input's Prompt property (journal records, CSV rows, Start-* output), so the result keeps it for Save-ZAiMedia -NameTemplate '{Prompt}'.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? Prompt { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var sender = CreateSender();
            _account = sender.Settings.Account();
            var client = new AsyncResultClient(sender, _account);
            // A task's agent travels with it: the record's AgentId goes with its ids to the poll.
            _engine = CreateEngine<(string Id, string? Prompt, string? AgentId), AsyncResult>((item, stop) => client.GetAsync(item.Id, item.AgentId, stop), (item, result) => Write(result, item.Prompt), OutputOrder.Input, ThrottleLimit, item => item.Id);
        }

        protected override void ProcessRecord()
        {
            // A prompt belongs to one task: with several ids in one record it is not known whose it is.
            foreach (var id in ValidIds()) _engine!.Add((id, Id!.Length == 1 && !string.IsNullOrEmpty(Prompt) ? Prompt : null, RecordAgentId));
            _engine!.Pump();
        }

        protected override void EndProcessing() => _engine!.Complete();

        private void Write(AsyncResult result, string? prompt)
        {
            WriteVerbose($"Task '{TaskIdPath.Shown(result.Id)}': {result.TaskStatus ?? "(no task_status)"}, {result.Kind}, {result.MediaCount} media.");
            _account!.RecentTaskIds.Remember(result.Id);
            UnreadFieldsWarning.WriteOnce(Sink, result);
            Sink.WriteObject(prompt is null ? PromptNote.Attach(result, null) : PromptNote.Attach(result, prompt));
        }
    }
}
