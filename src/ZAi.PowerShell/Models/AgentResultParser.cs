using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ZAi.PowerShell.Models
{
    /// <summary>
    /// Reads the agents API's bodies (<c>POST /v1/agents</c> and <c>/v1/agents/async-result</c>) into an
    /// <see cref="AsyncResult"/>: <c>{status: pending|success|failed, agent_id, async_id, choices: [{message:
    /// [{content: [{type: video_url, video_url}]}]}], error: {code, message}, usage}</c>. The international API
    /// spells the list <c>message</c>, the mainland one <c>messages</c>; both are read. Statuses are lower-case
    /// and kept raw in TaskStatus. Unknown or missing fields never throw.
    /// </summary>
    internal static class AgentResultParser
    {
        private static readonly HashSet<string> ModelledFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "status", "agent_id", "async_id", "choices", "error", "usage",
        };

        /// <param name="requestedId">The async_id asked for; used when the body has none.</param>
        /// <param name="requestedAgentId">The agent asked; used when the body names none.</param>
        public static AsyncResult Parse(JsonElement root, string requestedId, string requestedAgentId, DateTime retrievedAtUtc)
        {
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"Expected a JSON object but the body is a JSON {root.ValueKind}.");
            var id = JsonValueConverter.StringProperty(root, "async_id");
            if (string.IsNullOrEmpty(id)) id = requestedId;
            var agentId = Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "agent_id")) ?? requestedAgentId;
            var rawStatus = Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "status"));
            var videos = ReadVideos(root, id!);
            var extra = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in root.EnumerateObject())
            {
                if (!ModelledFields.Contains(property.Name)) extra[property.Name] = JsonValueConverter.ToPlainValue(property.Value);
            }
            var result = new AsyncResult(
                id!,
                agentId,
                ParseStatus(rawStatus),
                rawStatus,
                Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "request_id")),
                ResultKind.Video,
                videos,
                Array.Empty<ImageResult>(),
                extra,
                retrievedAtUtc);
            result.AgentId = agentId;
            result.Usage = ChatCompletionParser.ReadUsage(root);
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    result.ErrorCode = Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(error, "code"));
                    result.ErrorMessage = Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(error, "message"));
                }
                else if (error.ValueKind == JsonValueKind.String)
                {
                    result.ErrorMessage = Client.ServerText.PrintableOrNull(error.GetString());
                }
            }
            return result;
        }

        /// <summary>pending → Processing, success → Success, failed → Fail, in any case; anything else Unknown (not finished).</summary>
        public static AsyncTaskStatus ParseStatus(string? raw)
        {
            switch (raw?.Trim().ToLowerInvariant())
            {
                case "pending":
                case "processing":
                    return AsyncTaskStatus.Processing;
                case "success":
                    return AsyncTaskStatus.Success;
                case "failed":
                case "fail":
                    return AsyncTaskStatus.Fail;
                default:
                    return AsyncTaskStatus.Unknown;
            }
        }

        private static VideoResult[] ReadVideos(JsonElement root, string taskId)
        {
            var videos = new List<VideoResult>();
            if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array) return videos.ToArray();
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.ValueKind != JsonValueKind.Object) continue;
                foreach (var message in Items(choice, "message", "messages"))
                {
                    foreach (var part in Items(message, "content"))
                    {
                        var url = VideoUrl(part);
                        if (!string.IsNullOrEmpty(url)) videos.Add(new VideoResult(taskId, videos.Count, url, null));
                    }
                }
            }
            return videos.ToArray();
        }

        /// <summary>The elements of the first of <paramref name="names"/> present: an array's items, or a lone object.</summary>
        private static IEnumerable<JsonElement> Items(JsonElement parent, params string[] names)
        {
            foreach (var name in names)
            {
                if (!parent.TryGetProperty(name, out var value)) continue;
                if (value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object) yield return item;
                    }
                }
                else if (value.ValueKind == JsonValueKind.Object)
                {
                    yield return value;
                }
                yield break;
            }
        }

        private static string? VideoUrl(JsonElement part)
        {
            if (!part.TryGetProperty("video_url", out var value)) return null;
            if (value.ValueKind == JsonValueKind.String) return value.GetString();
            return value.ValueKind == JsonValueKind.Object ? JsonValueConverter.StringProperty(value, "url") : null;
        }
    }
}
