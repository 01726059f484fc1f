using System;
using System.Text.Json;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>The agents API's answer to a submission (<c>{status: pending|failed, agent_id, async_id, error}</c>), and marking a result as an agent task.</summary>
    internal static class AgentSubmission
    {
        /// <exception cref="ZAiApiException">The agent refused the request (status failed) or the answer has no async_id.</exception>
        /// <param name="retrievedAtUtc">When the answer arrived, by the sender's clock.</param>
        public static AsyncResult Read(JsonElement root, GenerationRequest request, DateTime retrievedAtUtc, AgentTasks? agents = null)
        {
            var id = JsonValueConverter.StringProperty(root, "async_id");
            var result = AgentResultParser.Parse(root, id ?? string.Empty, request.Model, retrievedAtUtc);
            if (result.StatusValue == AsyncTaskStatus.Fail)
            {
                throw new ZAiApiException(
                    ZAiErrorReason.InvalidRequest,
                    $"{request.Subject}: the agent refused the task" + (result.ErrorCode is null ? string.Empty : $" (code {result.ErrorCode})") + $": {result.ErrorMessage ?? "no reason given"}.",
                    errorCode: result.ErrorCode,
                    apiMessage: result.ErrorMessage,
                    requestId: request.RequestId);
            }
            if (string.IsNullOrEmpty(id))
            {
                throw new ZAiApiException(
                    ZAiErrorReason.InvalidResponse,
                    $"{request.Subject}: the agents API accepted the request but its answer has no async_id. The task may exist.",
                    requestId: request.RequestId);
            }
            return Mark(result.WithSubmission(request.Model, request.RequestId), request, agents);
        }

        /// <summary>
        /// For a request of the agents API: the result carries its agent (AgentId, which Wait, Get and Save bind by
        /// name), and the account's memory <paramref name="agents"/> learns it for a bare task id typed later.
        /// </summary>
        public static AsyncResult Mark(AsyncResult result, GenerationRequest request, AgentTasks? agents = null)
        {
            if (!request.Endpoint.IsAgent) return result;
            result.AgentId ??= request.Model;
            agents?.Remember(result);
            return result;
        }
    }
}
