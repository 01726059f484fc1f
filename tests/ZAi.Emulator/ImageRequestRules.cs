namespace ZAi.Emulator;

/// <summary>The fields <c>POST /api/paas/v4/async/images/generations</c> accepts, checked in a fixed order; the first violation wins.</summary>
internal static class ImageRequestRules
{
    public static readonly string[] Models = ["glm-image"];

    public const int MinSide = 1024;

    public const int MaxSide = 2048;

    public const int SideMultiple = 32;

    public const int MaxPixels = 4194304; // 2^22

    /// <summary>Validates a parsed body; returns the model and the request_id (null when absent).</summary>
    public static ValidSubmission Check(SubmissionFields fields)
    {
        string model = SubmissionValidator.Model(fields, Models, SubmissionEndpoint.ImagePath);
        if (fields.NonEmptyString("prompt") is null)
        {
            throw SubmissionRejectedException.Field("prompt is required.");
        }
        fields.Choice("quality", "hd", "standard");
        if (fields.Size("size") is { } size)
        {
            CheckSide(size.Text, "width", size.Width);
            CheckSide(size.Text, "height", size.Height);
            if ((long)size.Width * size.Height > MaxPixels)
            {
                throw SubmissionRejectedException.Field($"size '{size.Text}' has more than {MaxPixels} pixels (width x height).");
            }
        }
        fields.StringOfLength("user_id", 6, 128);
        fields.Boolean("watermark_enabled");
        string? requestId = fields.StringOfLength("request_id", 6, 64);
        return new ValidSubmission(model, requestId);
    }

    private static void CheckSide(string size, string side, int value)
    {
        if (value is < MinSide or > MaxSide || value % SideMultiple != 0)
        {
            throw SubmissionRejectedException.Field(
                $"size '{size}': the {side} must be from {MinSide} to {MaxSide} and divisible by {SideMultiple}, not {value}.");
        }
    }
}
