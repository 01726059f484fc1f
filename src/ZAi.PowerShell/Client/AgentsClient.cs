using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Client
{
    /// <summary>POST /v1/agents/async-result with <c>{agent_id, async_id}</c>: the state of one agent task (a video effect).</summary>
    internal sealed class AgentsClient
    {
        public const string ResultPath = "v1/agents/async-result";
        private readonly ApiRequestSender _sender;

        public AgentsClient(ApiRequestSender sender)
        {
            _sender = sender;
        }

        public async Task<AsyncResult> GetAsync(string taskId, string agentId, CancellationToken cancellationToken)
        {
            var subject = $"Agent task '{TaskIdPath.Shown(taskId)}'";
            var body = Body(agentId, taskId);
            using var document = await _sender.SendAsync(HttpMethod.Post, ResultPath, subject, () => Json(body), cancellationToken).ConfigureAwait(false);
            try
            {
                return AgentResultParser.Parse(document.RootElement, taskId, agentId, _sender.Clock.UtcNow);
            }
            catch (Exception ex) when (ex is FormatException || ex is InvalidOperationException || ex is JsonException)
            {
                throw new ZAiApiException(ZAiErrorReason.InvalidResponse, $"{subject}: the response could not be read as an agent result: {ex.Message}");
            }
        }

        internal static byte[] Body(string agentId, string taskId)
        {
            using var buffer = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("agent_id", agentId);
                writer.WriteString("async_id", taskId);
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }

        private static HttpContent Json(byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }
    }
}
