using System.Globalization;

namespace ZAi.Emulator;

/// <summary>Names and content types of a task's media files.</summary>
internal static class MediaFiles
{
    public static string Video(int i) => string.Create(CultureInfo.InvariantCulture, $"video_{i}.mp4");

    public static string Cover(int i, string extension) => string.Create(CultureInfo.InvariantCulture, $"video_{i}_cover.{extension}");

    public static string Image(int i) => string.Create(CultureInfo.InvariantCulture, $"image_{i}.png");

    /// <summary>Whether the task has a file of that name; gives its content type.</summary>
    public static bool TryResolve(EmulatedTask task, string file, out string contentType)
    {
        contentType = "";
        TaskShape shape = task.Shape;
        switch (task.Kind)
        {
            case TaskKind.Video:
            case TaskKind.Agent:
                if (TryIndex(file, "video_", ".mp4", shape.VideoCount))
                {
                    contentType = "video/mp4";
                    return true;
                }
                if (TryIndex(file, "video_", "_cover." + shape.CoverExtension, shape.VideoCount))
                {
                    contentType = shape.CoverExtension == "png" ? "image/png" : "image/jpeg";
                    return true;
                }
                return false;
            case TaskKind.Image:
                if (TryIndex(file, "image_", ".png", shape.ImageCount))
                {
                    contentType = "image/png";
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    private static bool TryIndex(string file, string prefix, string suffix, int count)
    {
        if (!file.StartsWith(prefix, StringComparison.Ordinal) || !file.EndsWith(suffix, StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> digits = file.AsSpan(prefix.Length, Math.Max(0, file.Length - prefix.Length - suffix.Length));
        if (digits.IsEmpty || (digits.Length > 1 && digits[0] == '0')) return false;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < count;
    }
}
