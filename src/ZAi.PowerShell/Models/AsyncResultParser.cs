using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ZAi.PowerShell.Models
{
    /// <summary>Reads an async-result response body into an <see cref="AsyncResult"/>. Unknown or missing fields never throw.</summary>
    internal static class AsyncResultParser
    {
        private static readonly HashSet<string> ModelledFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "model", "task_status", "request_id", "video_result", "image_result", "choices", "usage",
        };

        /// <param name="root">The parsed JSON body (must be an object).</param>
        /// <param name="requestedId">The id that was asked for; used when the body has no id field.</param>
        public static AsyncResult Parse(JsonElement root, string requestedId, DateTime retrievedAtUtc)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Expected a JSON object but the body is a JSON {root.ValueKind}.");
            }

            var id = JsonValueConverter.StringProperty(root, "id");
            if (string.IsNullOrEmpty(id)) id = requestedId;
            // Short fields that end up in messages: no control characters (ESC sequences) or bidi overrides.
            var model = Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "model"));
            var rawStatus = Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "task_status"));
            var videos = ReadVideos(root, id!);
            var images = ReadImages(root, id!);

            var extra = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in root.EnumerateObject())
            {
                if (!ModelledFields.Contains(property.Name))
                {
                    extra[property.Name] = JsonValueConverter.ToPlainValue(property.Value);
                }
            }

            var result = new AsyncResult(
                id!,
                model,
                ParseStatus(rawStatus),
                rawStatus,
                Client.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "request_id")),
                DetectKind(root, model, videos.Length, images.Length),
                videos,
                images,
                extra,
                retrievedAtUtc);
            result.Choices = new ChatChoiceList(ChatCompletionParser.ReadChoices(root));
            result.Usage = ChatCompletionParser.ReadUsage(root);
            return result;
        }

        public static AsyncTaskStatus ParseStatus(string? raw)
        {
            switch (raw?.Trim().ToUpperInvariant())
            {
                case "PROCESSING":
                case "SUBMITTED":
                    return AsyncTaskStatus.Processing;
                case "SUCCESS":
                    return AsyncTaskStatus.Success;
                case "FAIL":
                    return AsyncTaskStatus.Fail;
                default:
                    return AsyncTaskStatus.Unknown;
            }
        }

        private static ResultKind DetectKind(JsonElement root, string? model, int videoCount, int imageCount)
        {
            if (videoCount > 0 || IsArray(root, "video_result")) return ResultKind.Video;
            if (imageCount > 0 || IsArray(root, "image_result")) return ResultKind.Image;
            if (root.TryGetProperty("choices", out _)) return ResultKind.Chat;
            return KnownModels.KindOf(model);
        }

        private static bool IsArray(JsonElement root, string name)
        {
            return root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array;
        }

        private static VideoResult[] ReadVideos(JsonElement root, string taskId)
        {
            if (!root.TryGetProperty("video_result", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return Array.Empty<VideoResult>();
            }

            var videos = new List<VideoResult>();
            foreach (var item in list.EnumerateArray())
            {
                videos.Add(new VideoResult(
                    taskId,
                    videos.Count,
                    JsonValueConverter.StringProperty(item, "url"),
                    JsonValueConverter.StringProperty(item, "cover_image_url")));
            }
            return videos.ToArray();
        }

        private static ImageResult[] ReadImages(JsonElement root, string taskId)
        {
            if (!root.TryGetProperty("image_result", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return Array.Empty<ImageResult>();
            }

            var images = new List<ImageResult>();
            foreach (var item in list.EnumerateArray())
            {
                images.Add(new ImageResult(
                    taskId,
                    images.Count,
                    JsonValueConverter.StringProperty(item, "url"),
                    JsonValueConverter.StringProperty(item, "b64_json"),
                    JsonValueConverter.StringProperty(item, "revised_prompt")));
            }
            return images.ToArray();
        }
    }
}
