using System.Collections.Concurrent;

namespace ZAi.Emulator;

/// <summary>
/// Media files a viewer can open: each video is a playable MP4, each cover a JPEG (or PNG) and each image a
/// PNG, showing a picture with the task id and file name written on it, padded to the task's mediaSize so
/// every size, range and resume rule stays as it was. When a file cannot hold a picture (a mediaSize
/// smaller than the smallest picture, or 2 GiB and more), it keeps the patterned bytes
/// of <see cref="GeneratedContent"/>, which is what tests about sizes use.
/// </summary>
internal static class RealMedia
{
    public const long MaxSize = 2L * 1024 * 1024 * 1024;

    private static readonly (int Width, int Height)[] PictureSizes = [(640, 360), (320, 180), (160, 90), (96, 54), (64, 36)];
    private static readonly (int Width, int Height)[] VideoSizes = [(320, 176), (160, 96), (96, 64), (64, 48), (48, 32), (32, 32), (16, 16)];
    private static readonly ConcurrentDictionary<ulong, Lazy<MediaLayout?>> Files = new();

    /// <summary>Makes the media files of a task real (built on first use).</summary>
    public static void Register(EmulatedTask task)
    {
        TaskShape shape = task.Shape;
        var names = new List<string>();
        if (task.Kind is TaskKind.Video or TaskKind.Agent)
        {
            for (int i = 0; i < shape.VideoCount; i++)
            {
                names.Add(MediaFiles.Video(i));
                names.Add(MediaFiles.Cover(i, shape.CoverExtension));
            }
        }
        else if (task.Kind == TaskKind.Image)
        {
            for (int i = 0; i < shape.ImageCount; i++) names.Add(MediaFiles.Image(i));
        }
        foreach (string file in names)
        {
            ulong seed = GeneratedContent.Seed(task.Id, file);
            if (shape.MediaSize <= 0 || shape.MediaSize > MaxSize)
            {
                Files.TryRemove(seed, out _);
                continue;
            }
            string id = task.Id;
            long size = shape.MediaSize;
            Files[seed] = new Lazy<MediaLayout?>(() => Build(id, file, size, seed), LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    /// <summary>The layout of the file, when it is a real one.</summary>
    public static bool TryGet(ulong seed, out MediaLayout layout)
    {
        layout = null!;
        if (!Files.TryGetValue(seed, out Lazy<MediaLayout?>? file) || file.Value is null) return false;
        layout = file.Value;
        return true;
    }

    /// <summary>The real file of exactly <paramref name="size"/> bytes, or null when no picture fits.</summary>
    internal static MediaLayout? Build(string taskId, string file, long size, ulong seed)
    {
        string text = taskId + " " + file;
        if (file.EndsWith(".mp4", StringComparison.Ordinal))
        {
            return Largest(VideoSizes, text, seed, picture => Mp4Encoder.Encode(picture, size, seed));
        }
        bool jpeg = file.EndsWith(".jpeg", StringComparison.Ordinal) || file.EndsWith(".jpg", StringComparison.Ordinal);
        return Largest(PictureSizes, text, seed, picture => jpeg ? JpegEncoder.Encode(picture, size, seed) : PngEncoder.Encode(picture, size, seed));
    }

    /// <summary>The largest of <paramref name="sizes"/> (largest first) whose encoding fits, or null when none does.</summary>
    private static MediaLayout? Largest((int Width, int Height)[] sizes, string text, ulong seed, Func<Picture, MediaLayout?> encode)
    {
        // When not even the smallest picture fits, none does: a bulk run of tiny files (the memory bench) is spared
        // encoding every size, largest to smallest, for nothing.
        (int sw, int sh) = sizes[^1];
        if (encode(new Picture(sw, sh, text, seed)) is not { } smallest) return null;
        for (int i = 0; i < sizes.Length - 1; i++)
        {
            if (encode(new Picture(sizes[i].Width, sizes[i].Height, text, seed)) is { } layout) return layout;
        }
        return smallest;
    }
}
