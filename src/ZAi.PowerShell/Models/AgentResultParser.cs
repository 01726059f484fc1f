using System;
using System.Collections.Generic;
using System.Text.Json;
using ZAi.PowerShell.Errors;

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
            var agentId = Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "agent_id")) ?? requestedAgentId;
            var rawStatus = Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "status"));
            var shapes = new ShapeReader();
            var videos = ReadVideos(root, id!, shapes);
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
                Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "request_id")),
                ResultKind.Video,
                videos,
                Array.Empty<ImageResult>(),
                extra,
                retrievedAtUtc);
            result.AgentId = agentId;
            result.Usage = ChatCompletionParser.ReadUsage(root);
            shapes.Apply(result);
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    result.ErrorCode = Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(error, "code"));
                    result.ErrorMessage = Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(error, "message"));
                }
                else if (error.ValueKind == JsonValueKind.String)
                {
                    result.ErrorMessage = Errors.ServerText.PrintableOrNull(error.GetString());
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

        /// <summary>
        /// choices, each choice's message (or messages) and each message's content, each as a list or a lone object;
        /// a part's video_url as text or {url}. Any other shape on the way to a video is kept raw in <paramref name="shapes"/>.
        /// </summary>
        private static VideoResult[] ReadVideos(JsonElement root, string taskId, ShapeReader shapes)
        {
            var videos = new List<VideoResult>();
            foreach (var (choice, c) in shapes.Objects(root, "choices", "choices"))
            {
                var spelling = choice.TryGetProperty("message", out _) ? "message" : "messages";
                foreach (var (message, m) in shapes.Objects(choice, spelling, $"choices[{c}].{spelling}"))
                {
                    var path = $"choices[{c}].{spelling}[{m}].content";
                    if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String) continue;   // text, not a video
                    foreach (var (part, p) in shapes.Objects(message, "content", path))
                    {
                        var url = VideoUrl(part, $"{path}[{p}].video_url", shapes);
                        if (!string.IsNullOrEmpty(url)) videos.Add(new VideoResult(taskId, videos.Count, url, null));
                    }
                }
            }
            return videos.ToArray();
        }

        private static string? VideoUrl(JsonElement part, string path, ShapeReader shapes)
        {
            if (!part.TryGetProperty("video_url", out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind == JsonValueKind.String) return value.GetString();
            var url = value.ValueKind == JsonValueKind.Object ? JsonValueConverter.StringProperty(value, "url") : null;
            if (string.IsNullOrEmpty(url)) shapes.Keep(path, value);
            return url;
        }
    }
}
