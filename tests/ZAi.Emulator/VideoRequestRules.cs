using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>The fields <c>POST /api/paas/v4/videos/generations</c> accepts, checked in a fixed order; the first violation wins.</summary>
internal static class VideoRequestRules
{
    public static readonly string[] Models =
        ["cogvideox-3", "viduq1-text", "viduq1-image", "viduq1-start-end", "vidu2-image", "vidu2-start-end", "vidu2-reference"];

    public const int MaxPromptCharacters = 512;

    private static readonly string[] CogVideoSizes =
        ["1280x720", "720x1280", "1024x1024", "1920x1080", "1080x1920", "2048x1080", "3840x2160"];

    /// <summary>Validates a parsed body; returns the model and the request_id (null when absent).</summary>
    public static ValidSubmission Check(SubmissionFields fields)
    {
        string model = SubmissionValidator.Model(fields, Models, SubmissionEndpoint.VideoPath);

        string? prompt = fields.String("prompt");
        if (prompt is not null && SubmissionFields.Characters(prompt) > MaxPromptCharacters)
        {
            throw SubmissionRejectedException.Field(
                $"prompt must be at most {MaxPromptCharacters} characters long, not {SubmissionFields.Characters(prompt)}.");
        }
        int images = CheckImages(fields, model == "vidu2-reference" ? 3 : 2);
        if (string.IsNullOrEmpty(prompt) && images == 0)
        {
            throw SubmissionRejectedException.Field("prompt or image_url is required (at least one of them).");
        }

        string? quality = fields.Choice("quality", "speed", "quality");
        if (quality == "quality" && images == 2)
        {
            throw SubmissionRejectedException.Field(
                "quality 'quality' is not supported with two images in image_url: first/last-frame mode only supports quality 'speed'.");
        }
        fields.Boolean("with_audio");
        if (fields.Size("size") is { } size && model == "cogvideox-3" && !CogVideoSizes.Contains(size.Text))
        {
            throw SubmissionRejectedException.Field(
                $"size must be one of {string.Join(", ", CogVideoSizes)} for cogvideox-3, not '{size.Text}'.");
        }
        fields.IntegerChoice("fps", 30, 60);
        fields.IntegerChoice("duration", 5, 10);
        string? requestId = fields.StringOfLength("request_id", 6, 64);
        fields.StringOfLength("user_id", 6, 128);
        fields.Choice("style", "general", "anime");
        fields.Choice("aspect_ratio", "16:9", "9:16", "1:1");
        fields.Choice("movement_amplitude", "auto", "small", "medium", "large");
        fields.Boolean("watermark_enabled");
        return new ValidSubmission(model, requestId);
    }

    /// <summary>Checks image_url (a string, or an array of 1 to <paramref name="maxItems"/> strings); returns the number of images.</summary>
    private static int CheckImages(SubmissionFields fields, int maxItems)
    {
        const string name = "image_url";
        if (fields.Get(name) is not { } value) return 0;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                ImageUrlRules.Check(name, value.GetString()!);
                return 1;
            case JsonValueKind.Array:
                int count = value.GetArrayLength();
                if (count < 1 || count > maxItems)
                {
                    throw SubmissionRejectedException.Field($"{name} must hold 1 to {maxItems} images for this model, not {count}.");
                }
                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    string itemName = $"{name}[{index++}]";
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw SubmissionRejectedException.Field($"{itemName} must be a string, not {SubmissionFields.Describe(item)}.");
                    }
                    ImageUrlRules.Check(itemName, item.GetString()!);
                }
                return count;
            default:
                throw SubmissionRejectedException.Field($"{name} must be a string or an array of strings, not {SubmissionFields.Describe(value)}.");
        }
    }
}
