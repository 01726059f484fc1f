namespace ZAi.Emulator;

/// <summary>
/// What the video endpoint accepts as one <c>image_url</c> item: an http(s) URL, a
/// <c>data:image/png|jpeg|jpg;base64,...</c> URI, or bare base64; base64 must decode to a PNG or JPEG
/// image of at most 5 MiB.
/// </summary>
internal static class ImageUrlRules
{
    /// <summary>Largest decoded image: 5 MiB.</summary>
    public const int MaxImageBytes = 5 * 1024 * 1024;

    private static readonly string[] DataUriTypes = ["image/png", "image/jpeg", "image/jpg"];

    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];

    /// <summary>Throws code 1214 naming <paramref name="name"/> (e.g. <c>image_url[1]</c>) when the item is not acceptable.</summary>
    public static void Check(string name, string value)
    {
        if (value.Length == 0)
        {
            throw SubmissionRejectedException.Field($"{name} must not be empty.");
        }
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0)
            {
                throw SubmissionRejectedException.Field($"{name} is not a valid http(s) URL: '{Shorten(value)}'.");
            }
            return;
        }
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            CheckBase64(name, DataUriPayload(name, value));
            return;
        }
        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw SubmissionRejectedException.Field(
                $"{name} must be an http(s) URL, a data:image/png|jpeg|jpg;base64 URI or base64 image data, not '{Shorten(value)}'.");
        }
        CheckBase64(name, value);
    }

    private static string DataUriPayload(string name, string value)
    {
        int comma = value.IndexOf(',');
        string header = comma >= 0 ? value["data:".Length..comma] : "";
        const string base64Suffix = ";base64";
        if (comma < 0 || !header.EndsWith(base64Suffix, StringComparison.OrdinalIgnoreCase) ||
            !DataUriTypes.Contains(header[..^base64Suffix.Length], StringComparer.OrdinalIgnoreCase))
        {
            throw SubmissionRejectedException.Field(
                $"{name} is a data URI but not data:image/png;base64,..., data:image/jpeg;base64,... or data:image/jpg;base64,... ('{Shorten(value)}').");
        }
        return value[(comma + 1)..];
    }

    private static void CheckBase64(string name, string base64)
    {
        byte[] image;
        try
        {
            image = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw SubmissionRejectedException.Field(
                $"{name} is not an http(s) URL, a data:image/png|jpeg|jpg;base64 URI or valid base64 ('{Shorten(base64)}').");
        }
        if (image.Length > MaxImageBytes)
        {
            throw SubmissionRejectedException.Field($"{name} decodes to {image.Length} bytes; an image must be at most 5 MiB ({MaxImageBytes} bytes).");
        }
        if (!image.AsSpan().StartsWith(PngMagic) && !image.AsSpan().StartsWith(JpegMagic))
        {
            throw SubmissionRejectedException.Field($"{name} is not a PNG or JPEG image (its decoded bytes do not start with a PNG or JPEG signature).");
        }
    }

    /// <summary>The start of a long value, for messages.</summary>
    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
