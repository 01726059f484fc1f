using System;
using System.Collections.Generic;
using System.Text.Json;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Models
{
    /// <summary>Reads an async-result response body into an <see cref="AsyncResult"/>. Unknown or missing fields never throw.</summary>
    internal static class AsyncResultParser
    {
        private static readonly HashSet<string> ModelledFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "model", "task_status", "request_id", "video_result", "image_result", "choices", "usage", "optimized_prompt",
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
            // The asked id's own string when the body repeats it: a long run keeps each task id in several places
            // (the journal, when it first succeeded, its files' names), one string each otherwise.
            if (string.IsNullOrEmpty(id) || string.Equals(id, requestedId, StringComparison.Ordinal)) id = requestedId;
            // Short fields that end up in messages: no control characters (ESC sequences) or bidi overrides.
            var model = Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "model"));
            var rawStatus = Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "task_status"));
            var shapes = new ShapeReader();
            var videos = ReadVideos(root, id!, shapes);
            var images = ReadImages(root, id!, shapes);

            var extra = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in root.EnumerateObject())
            {
                if (!ModelledFields.Contains(property.Name) || (property.Name == "optimized_prompt" && property.Value.ValueKind != JsonValueKind.String))
                {
                    extra[property.Name] = JsonValueConverter.ToPlainValue(property.Value);
                }
            }

            var result = new AsyncResult(
                id!,
                model,
                ParseStatus(rawStatus),
                rawStatus,
                Errors.ServerText.PrintableOrNull(JsonValueConverter.StringProperty(root, "request_id")),
                DetectKind(root, model, videos.Length, images.Length),
                videos,
                images,
                extra,
                retrievedAtUtc);
            result.Choices = new ChatChoiceList(ChatCompletionParser.ReadChoices(root, shapes));
            result.Usage = ChatCompletionParser.ReadUsage(root);
            result.OptimizedPrompt = root.TryGetProperty("optimized_prompt", out var optimized) && optimized.ValueKind == JsonValueKind.String ? optimized.GetString() : null;
            shapes.Apply(result);
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
            // A media field of any shape but null says what the task makes, even when its shape could not be read.
            if (videoCount > 0 || Present(root, "video_result")) return ResultKind.Video;
            if (imageCount > 0 || Present(root, "image_result")) return ResultKind.Image;
            if (Present(root, "choices")) return ResultKind.Chat;
            return KnownModels.KindOf(model);
        }

        private static bool Present(JsonElement root, string name)
        {
            return root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
        }

        /// <summary>video_result as a list or a lone object; an item with neither link is kept raw, not listed.</summary>
        private static VideoResult[] ReadVideos(JsonElement root, string taskId, ShapeReader shapes)
        {
            var videos = new List<VideoResult>();
            foreach (var (item, index) in shapes.Objects(root, "video_result", "video_result"))
            {
                var url = JsonValueConverter.StringProperty(item, "url");
                var cover = JsonValueConverter.StringProperty(item, "cover_image_url");
                if (string.IsNullOrEmpty(url) && string.IsNullOrEmpty(cover))
                {
                    shapes.Keep("video_result", root.GetProperty("video_result"));
                    continue;
                }
                videos.Add(new VideoResult(taskId, index, url, cover));
            }
            return videos.ToArray();
        }

        /// <summary>image_result as a list or a lone object (z-ai-sdk-java reads both); an item with neither url nor b64_json is kept raw, not listed.</summary>
        private static ImageResult[] ReadImages(JsonElement root, string taskId, ShapeReader shapes)
        {
            var images = new List<ImageResult>();
            foreach (var (item, index) in shapes.Objects(root, "image_result", "image_result"))
            {
                var url = JsonValueConverter.StringProperty(item, "url");
                var base64 = JsonValueConverter.StringProperty(item, "b64_json");
                if (string.IsNullOrEmpty(url) && string.IsNullOrEmpty(base64))
                {
                    shapes.Keep("image_result", root.GetProperty("image_result"));
                    continue;
                }
                images.Add(new ImageResult(taskId, index, url, base64, JsonValueConverter.StringProperty(item, "revised_prompt")));
            }
            return images.ToArray();
        }
    }
}
