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

        public AsyncResultClient(ApiRequestSender sender)
        {
            _sender = sender;
        }

        public async Task<AsyncResult> GetAsync(string taskId, CancellationToken cancellationToken)
        {
            if (AgentTasks.AgentOf(taskId) is string agentId) return await new AgentsClient(_sender).GetAsync(taskId, agentId, cancellationToken).ConfigureAwait(false);
            var path = "paas/v4/async-result/" + TaskIdPath.Escape(taskId);
            var subject = $"Task '{TaskIdPath.Shown(taskId)}'";
            using var document = await _sender.SendAsync(HttpMethod.Get, path, subject, null, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = AsyncResultParser.Parse(document.RootElement, taskId, DateTime.UtcNow);
                Submitting.AccountCapacities.Observe(result);
                return result;
            }
            catch (Exception ex) when (ex is FormatException || ex is InvalidOperationException || ex is JsonException)
            {
                throw new ZAiApiException(ZAiErrorReason.InvalidResponse, $"{subject}: the response could not be read as a task result: {ex.Message}");
            }
        }
    }
}
