using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Client
{
    /// <summary>GET /paas/v4/async-result/{id}: the state of one task; agent tasks (see <see cref="AgentTasks"/>) are asked through the agents API.</summary>
    internal sealed class AsyncResultClient
    {
        private readonly ApiRequestSender _sender;
        private readonly Submitting.AccountState? _account;

        /// <param name="account">The account whose queue learns from each result read (a finished task frees room); null learns nothing.</param>
        public AsyncResultClient(ApiRequestSender sender, Submitting.AccountState? account = null)
        {
            _sender = sender;
            _account = account;
        }

        public async Task<AsyncResult> GetAsync(string taskId, CancellationToken cancellationToken)
        {
            var result = AgentTasks.AgentOf(taskId) is string agentId
                ? await new AgentsClient(_sender).GetAsync(taskId, agentId, cancellationToken).ConfigureAwait(false)
                : await GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            _account?.Observe(result);
            return result;
        }

        private async Task<AsyncResult> GetTaskAsync(string taskId, CancellationToken cancellationToken)
        {
            var path = "paas/v4/async-result/" + TaskIdPath.Escape(taskId);
            var subject = $"Task '{TaskIdPath.Shown(taskId)}'";
            using var document = await _sender.SendAsync(HttpMethod.Get, path, subject, null, cancellationToken).ConfigureAwait(false);
            try
            {
                return AsyncResultParser.Parse(document.RootElement, taskId, DateTime.UtcNow);
            }
            catch (Exception ex) when (ex is FormatException || ex is InvalidOperationException || ex is JsonException)
            {
                throw new ZAiApiException(ZAiErrorReason.InvalidResponse, $"{subject}: the response could not be read as a task result: {ex.Message}");
            }
        }
    }
}
