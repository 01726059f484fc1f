using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// GET /paas/v4/async-result/{id}: the state of one task. A task of the agents API is asked through the agents API:
    /// its agent comes with the task (the caller passes it), else from the account's memory (<see cref="AgentTasks"/>).
    /// </summary>
    internal sealed class AsyncResultClient
    {
        private readonly ApiRequestSender _sender;
        private readonly IClientAccount? _account;
        private readonly AgentTasks _agents;

        /// <param name="account">The account whose queue learns from each result read (a finished task frees room); null learns nothing and remembers agents for this client alone.</param>
        public AsyncResultClient(ApiRequestSender sender, IClientAccount? account = null)
        {
            _sender = sender;
            _account = account;
            _agents = account?.Agents ?? new AgentTasks();
        }

        public Task<AsyncResult> GetAsync(string taskId, CancellationToken cancellationToken) => GetAsync(taskId, null, cancellationToken);

        /// <param name="agentId">The agent that runs the task, when the task came with one (an input's AgentId); null asks the account's memory.</param>
        public async Task<AsyncResult> GetAsync(string taskId, string? agentId, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(agentId)) agentId = _agents.AgentOf(taskId);
            else _agents.Remember(taskId, agentId);
            var result = agentId is null
                ? await GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false)
                : await new AgentsClient(_sender).GetAsync(taskId, agentId.Trim(), cancellationToken).ConfigureAwait(false);
            if (_account != null)
            {
                if (result.StatusValue == AsyncTaskStatus.Success) result.ExpiresFromFirstSuccess(_account.Successes.FirstSeen(result.Id, result.RetrievedAt));
                _account.Observe(result);
            }
            return result;
        }

        private async Task<AsyncResult> GetTaskAsync(string taskId, CancellationToken cancellationToken)
        {
            var path = "paas/v4/async-result/" + TaskIdPath.Escape(taskId);
            var subject = $"Task '{TaskIdPath.Shown(taskId)}'";
            using var document = await _sender.SendAsync(HttpMethod.Get, path, subject, null, cancellationToken).ConfigureAwait(false);
            try
            {
                return AsyncResultParser.Parse(document.RootElement, taskId, _sender.Clock.UtcNow);
            }
            catch (Exception ex) when (ex is FormatException || ex is InvalidOperationException || ex is JsonException)
            {
                throw new ZAiApiException(ZAiErrorReason.InvalidResponse, $"{subject}: the response could not be read as a task result: {ex.Message}");
            }
        }
    }
}
