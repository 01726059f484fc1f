using System.Security.Cryptography;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// Media hosts that are not well-behaved about versions: they ignore If-Range, date their files only with
/// Last-Modified, or give no strong validator at all, and the file changes between ranges or between runs. Whatever
/// they do, the saved file is one version byte for byte, never a mix. Real loopback HTTP, real files.
/// </summary>
public sealed class MisbehavingMediaHostTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const long Size = 8L * 1024 * 1024;
    private const long Small = 600_000;
    private const string Video = "video_0.mp4";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly EmulatorServer _server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-misbehaving-" + Guid.NewGuid().ToString("N"));
    private readonly string _folder;
    private readonly CollectingLog _log = new();
    private readonly HostConnections _hosts = new();

    public MisbehavingMediaHostTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
        _server.Reset();
        _folder = Path.Combine(_root, "out");
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        _server.Reset();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string AddTask(long size, params FaultSpec[] faults)
    {
        var spec = new TaskSpec
        {
            Id = EmulatorFixture.NewId("misbehaving"),
            Kind = "video",
            MediaSize = size,
            MediaFaults = new Dictionary<string, List<FaultSpec>> { [Video] = faults.ToList() },
        };
        _server.AddTasks(spec);
        return spec.Id;
    }

    private MediaItem Item(string id) =>
        new(id, MediaKind.Video, 0, new Uri(_server.RootUrl, "media/" + Uri.EscapeDataString(id) + "/" + Video).ToString(), null);

    private FileDownloader Downloader(int connections = 4, int maxRetries = 3) =>
        new(MediaHttpClient.Instance, new RetryPolicy(maxRetries), TimeSpan.FromSeconds(10), _log, tuning: new DownloadTuning(connections, 2 * 1024 * 1024, 16, TimeSpan.Zero), hosts: _hosts);

    private async Task<string> DownloadAsync(string id, FileDownloader downloader) =>
        await downloader.DownloadAsync(Item(id), _folder, new DownloadProgress(id), CancellationToken.None).WaitAsync(Guard);

    private IReadOnlyList<RequestLogEntry> Requests(string id)
    {
        var expected = _server.GetTask(id)!.MediaRequestCount;
        Assert.True(SpinWait.SpinUntil(() => _server.GetRequests(id, "/media/").Count >= expected, Guard), "The emulator did not log every media request.");
        return _server.GetRequests(id, "/media/").OrderBy(r => r.Timestamp).ToList();
    }

    private static string? Header(RequestLogEntry entry, string name) => entry.Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The file is exactly version <paramref name="version"/> of the task's video (0: the first).</summary>
    private static void AssertVersion(string path, string id, int version, long size)
    {
        Assert.Equal(size, new FileInfo(path).Length);
        using var stream = File.OpenRead(path);
        Assert.Equal(GeneratedContent.Sha256(version == 0 ? id : id + "~v" + version, Video, size), Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private string[] FilesInFolder() => Directory.GetFiles(_folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    private static FaultSpec Normal() => new() { Type = "slow", DelayMs = 0 };

    [Theory]
    [InlineData("strong", "past")] // the ranges' ETag shows the change
    [InlineData("none", "past")]   // only their Last-Modified does
    public async Task AHostThatIgnoresIfRangeAndChangesTheFileBetweenRangesGivesOneVersionWhole(string etag, string lastModified)
    {
        _server.ConfigureMedia(new MediaHostConfig { ETag = etag, LastModified = lastModified, IgnoreIfRange = true });
        // The first range request to arrive replaces the file: every 206 from then on is of the new version.
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "newVersion" });

        var path = await DownloadAsync(id, Downloader());

        AssertVersion(path, id, 1, Size);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        Assert.Contains(Requests(id), r => Header(r, "Range") != null && r.Status == 206); // the host did answer a range of the new file
        Assert.Contains(_log.VerboseMessages, m => m.Contains("the file changed", StringComparison.Ordinal) && m.Contains("again over one connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARangedRunKilledBeforeTheFileChangedStartsOverWhenTheHostIgnoresIfRange()
    {
        _server.ConfigureMedia(new MediaHostConfig { ETag = "none", IgnoreIfRange = true });
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "drop", AfterBytes = 100_000 });
        await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(id, Downloader(maxRetries: 0)));
        Assert.Contains(id + ".partial.ranges", FilesInFolder());

        _server.NewMediaVersion(id, Video);
        var path = await DownloadAsync(id, Downloader());

        AssertVersion(path, id, 1, Size);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        Assert.Contains(_log.VerboseMessages, m => m.Contains("the file changed: Thu, 02 Jan 2025 00:00:00 GMT, was Wed, 01 Jan 2025 00:00:00 GMT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASingleStreamResumeAcrossAChangeTheHostHidesStartsOver()
    {
        _server.ConfigureMedia(new MediaHostConfig { ETag = "none", IgnoreIfRange = true });
        var id = AddTask(Small, new FaultSpec { Type = "drop", AfterBytes = 200_000 });
        await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(id, Downloader(maxRetries: 0)));
        Assert.Equal(new[] { id + ".partial", id + ".partial.validator" }, FilesInFolder());

        _server.NewMediaVersion(id, Video);
        var path = await DownloadAsync(id, Downloader(maxRetries: 1));

        AssertVersion(path, id, 1, Small);
        var requests = Requests(id);
        Assert.Equal("bytes=200000-", Header(requests[1], "Range"));
        Assert.Equal(206, requests[1].Status);              // the host ignored If-Range and sent the new file's bytes
        Assert.Null(Header(requests[^1], "Range"));         // so the file came again from its first byte
        Assert.Contains(_log.VerboseMessages, m => m.Contains("does not continue the partial file (the file changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALastModifiedLongPastIsStrongEnoughToSplitAndResume()
    {
        _server.ConfigureMedia(new MediaHostConfig { ETag = "none" });
        var id = AddTask(Size);

        var path = await DownloadAsync(id, Downloader());

        AssertVersion(path, id, 0, Size);
        var ranged = Requests(id).Where(r => Header(r, "Range") != null).ToList();
        Assert.NotEmpty(ranged);
        Assert.All(ranged, r => Assert.Equal("Wed, 01 Jan 2025 00:00:00 GMT", Header(r, "If-Range")));
        Assert.All(ranged, r => Assert.Equal(206, r.Status));
    }

    [Theory]
    [InlineData("weak", "past", "only a weak ETag")]
    [InlineData("none", "now", "not a second older than the answer")]
    [InlineData("none", "none", "neither an ETag nor a Last-Modified")]
    public async Task WithoutAStrongValidatorTheFileKeepsOneConnectionAndABreakStartsOver(string etag, string lastModified, string why)
    {
        _server.ConfigureMedia(new MediaHostConfig { ETag = etag, LastModified = lastModified, IgnoreIfRange = true });
        var id = AddTask(Size, new FaultSpec { Type = "drop", AfterBytes = 3_000_000 });

        var path = await DownloadAsync(id, Downloader());

        AssertVersion(path, id, 0, Size);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        Assert.All(Requests(id), r => Assert.Null(Header(r, "Range"))); // never split, never resumed
        Assert.True(Requests(id).Count >= 2);
        Assert.Contains(_log.VerboseMessages, m => m.Contains("gives no strong validator", StringComparison.Ordinal) && m.Contains(why, StringComparison.Ordinal)
            && m.Contains("over one connection, and a broken connection starts it over", StringComparison.Ordinal));
    }
}
