using ZAi.Emulator;
using ZAi.PowerShell.Transfer;
namespace ZAi.PowerShell.Tests.Transfer;

/// <summary>One video task of the emulator, and a download job of its video into a folder: what the transfer steps' tests work on.</summary>
internal static class EmulatorVideo
{
    public const string File = "video_0.mp4";

    /// <summary>Adds a video task whose video is <paramref name="size"/> bytes, with faults for its requests in order.</summary>
    public static string Add(EmulatorServer server, string prefix, long size, params FaultSpec[] faults)
    {
        var spec = new TaskSpec
        {
            Id = EmulatorFixture.NewId(prefix),
            Kind = "video",
            MediaSize = size,
            MediaFaults = new Dictionary<string, List<FaultSpec>> { [File] = faults.ToList() },
        };
        server.AddTasks(spec);
        return spec.Id;
    }

    public static Uri Url(EmulatorServer server, string id) => new(server.RootUrl, "media/" + Uri.EscapeDataString(id) + "/" + File);

    /// <summary>A fresh job for the task's video, its partial file in <paramref name="folder"/>, begun at virtual time zero.</summary>
    public static DownloadJob Job(EmulatorServer server, string id, string folder)
    {
        var uri = Url(server, id);
        var item = new MediaItem(id, MediaKind.Video, 0, uri.ToString(), null);
        return new DownloadJob(item, uri, new PartialFile(folder, id), new DownloadProgress(id), new FileRun(TimeSpan.Zero)) { Source = uri };
    }

    /// <summary>The emulator's bytes of the task's video from <paramref name="offset"/>.</summary>
    public static byte[] Bytes(string id, long offset, long count)
    {
        var bytes = new byte[count];
        GeneratedContent.Fill(id, File, offset, bytes);
        return bytes;
    }
}
