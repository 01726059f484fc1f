using System;
using System.Collections.Generic;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>Validates options against <see cref="GenerationRules"/> and builds the request body in the API's field order.</summary>
    internal static class GenerationRequestFactory
    {
        private static readonly IReadOnlyDictionary<string, string> VideoNamedFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["model"] = "-Model", ["prompt"] = "-Prompt", ["image_url"] = "-ImageUrl", ["quality"] = "-Quality", ["with_audio"] = "-WithAudio",
            ["size"] = "-Size", ["fps"] = "-Fps", ["duration"] = "-Duration", ["request_id"] = "-RequestId", ["user_id"] = "-UserId",
        };

        private static readonly IReadOnlyDictionary<string, string> ImageNamedFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["model"] = "-Model", ["prompt"] = "-Prompt", ["quality"] = "-Quality", ["size"] = "-Size", ["request_id"] = "-RequestId", ["user_id"] = "-UserId",
        };

        /// <exception cref="ArgumentException">A value the API would refuse, with a message naming the parameter.</exception>
        public static GenerationRequest Video(VideoGenerationOptions options)
        {
            var hasPrompt = options.Prompt != null;
            if (hasPrompt) GenerationRules.CheckPromptText(options.Prompt!, GenerationRules.MaxVideoPromptLength);
            if (!hasPrompt && options.Images.Count == 0)
            {
                throw new ArgumentException("Give -Prompt, -ImageUrl or both: a video starts from a text description or an image.");
            }
            if (options.Images.Count > 2) throw new ArgumentException($"-ImageUrl has {options.Images.Count} images; give one, or two for the first and last frame.");
            if (options.Quality != null) GenerationRules.CheckOneOf("-Quality", options.Quality, GenerationRules.VideoQualities);
            if (options.Images.Count == 2 && options.Quality == "quality")
            {
                throw new ArgumentException("-Quality quality cannot be used with two images: first and last frame mode only supports -Quality speed.");
            }
            if (options.Size != null) GenerationRules.CheckVideoSize(options.Model, options.Size);
            if (options.Fps.HasValue) GenerationRules.CheckOneOf("-Fps", options.Fps.Value, GenerationRules.VideoFps);
            if (options.Duration.HasValue) GenerationRules.CheckOneOf("-Duration", options.Duration.Value, GenerationRules.VideoDurations);

            var fields = Start(options, out var requestId);
            if (hasPrompt) fields.Add(Field("prompt", options.Prompt));
            if (options.Images.Count > 0) fields.Add(Field("image_url", options.Images));
            if (options.Quality != null) fields.Add(Field("quality", options.Quality));
            if (options.WithAudio.HasValue) fields.Add(Field("with_audio", options.WithAudio.Value));
            if (options.Size != null) fields.Add(Field("size", options.Size));
            if (options.Fps.HasValue) fields.Add(Field("fps", options.Fps.Value));
            if (options.Duration.HasValue) fields.Add(Field("duration", options.Duration.Value));
            return Finish(GenerationEndpoint.Video, options, requestId, fields, VideoNamedFields);
        }

        /// <exception cref="ArgumentException">A value the API would refuse, with a message naming the parameter.</exception>
        public static GenerationRequest Image(ImageGenerationOptions options)
        {
            if (options.Prompt is null) throw new ArgumentException("-Prompt is required: describe the image to generate.");
            GenerationRules.CheckPromptText(options.Prompt, maxLength: null);
            if (options.Quality != null) GenerationRules.CheckOneOf("-Quality", options.Quality, GenerationRules.ImageQualities);
            if (options.Size != null)
            {
                if (string.Equals(options.Model, ImageGenerationOptions.DefaultModel, StringComparison.OrdinalIgnoreCase)) GenerationRules.CheckGlmImageSize(options.Size);
                else GenerationRules.ParseSize(options.Size);
            }

            var fields = Start(options, out var requestId);
            fields.Add(Field("prompt", options.Prompt));
            if (options.Quality != null) fields.Add(Field("quality", options.Quality));
            if (options.Size != null) fields.Add(Field("size", options.Size));
            return Finish(GenerationEndpoint.Image, options, requestId, fields, ImageNamedFields);
        }

        /// <summary>A request id: 32 hexadecimal characters, like the ones the platform generates.</summary>
        public static string NewRequestId() => Guid.NewGuid().ToString("N");

        private static List<KeyValuePair<string, object?>> Start(GenerationOptions options, out string requestId)
        {
            if (string.IsNullOrWhiteSpace(options.Model)) throw new ArgumentException("-Model is empty.");
            if (options.RequestId != null) GenerationRules.CheckRequestId(options.RequestId);
            if (options.UserId != null) GenerationRules.CheckUserId(options.UserId);
            requestId = options.RequestId ?? NewRequestId();
            return new List<KeyValuePair<string, object?>> { Field("model", options.Model) };
        }

        private static GenerationRequest Finish(
            GenerationEndpoint endpoint,
            GenerationOptions options,
            string requestId,
            List<KeyValuePair<string, object?>> fields,
            IReadOnlyDictionary<string, string> namedFields)
        {
            fields.Add(Field(GenerationRequest.RequestIdField, requestId));
            if (options.UserId != null) fields.Add(Field("user_id", options.UserId));
            ExtraParameters.AddTo(fields, options.Parameters, namedFields);
            return new GenerationRequest(endpoint, options.Model, options.Prompt, requestId, options.RequestId != null, fields);
        }

        private static KeyValuePair<string, object?> Field(string name, object? value) => new KeyValuePair<string, object?>(name, value);
    }
}
