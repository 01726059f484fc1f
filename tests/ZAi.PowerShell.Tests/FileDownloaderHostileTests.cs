using System.Security.Cryptography;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// A hostile host or a shared destination folder: links planted at the names the downloader writes, truncated and
/// spliced resumes, endless and dripping bodies, HTML answered for media. Real loopback HTTP, real files.
/// </summary>
public sealed class FileDownloaderHostileTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const long Size = 600_000;
    private const string Video = "video_0.mp4";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private static readonly byte[] Precious = "precious bytes the user owns\n"u8.ToArray();

    private readonly EmulatorServer _server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-hostile-" + Guid.NewGuid().ToString("N"));
    private readonly string _folder;
    private readonly string _outside;
    private readonly CollectingLog _log = new();

    public FileDownloaderHostileTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
        _folder = Path.Combine(_root, "out");
        _outside = Path.Combine(_root, "elsewhere");
        Directory.CreateDirectory(_folder);
        Directory.CreateDirectory(_outside);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string AddTask(long size = Size, params (string File, FaultSpec[] Faults)[] faults)
    {
        var spec = new TaskSpec
        {
            Id = EmulatorFixture.NewId("hostile"),
            MediaSize = size,
            MediaFaults = faults.ToDictionary(f => f.File, f => f.Faults.ToList()),
        };
        _server.AddTasks(spec);
        return spec.Id;
    }

    private MediaItem Item(string id) => new(id, MediaKind.Video, 0, new Uri(_server.RootUrl, "media/" + Uri.EscapeDataString(id) + "/" + Video).ToString(), null);

    private FileDownloader Downloader(int maxRetries = 3, TimeSpan? readTimeout = null, DownloadLimits? limits = null, IClock? clock = null) =>
        new(MediaHttpClient.Instance, new RetryPolicy(maxRetries), readTimeout ?? TimeSpan.FromSeconds(10), _log, limits, clock);

    private Task<string> DownloadAsync(MediaItem item, FileDownloader? downloader = null, DownloadProgress? progress = null) =>
        (downloader ?? Downloader()).DownloadAsync(item, _folder, progress ?? new DownloadProgress(item.BaseName), CancellationToken.None).WaitAsync(Guard);

    private async Task<ZAiMediaException> FailsAsync(MediaItem item, FileDownloader? downloader = null) =>
        await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(item, downloader));

    private string[] FilesInFolder() => Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    private IReadOnlyList<RequestLogEntry> MediaRequests(string id)
    {
        var expected = _server.GetTask(id)!.MediaRequestCount;
        Assert.True(SpinWait.SpinUntil(() => _server.GetRequests(id, "/media/").Count >= expected, Guard), "The emulator did not log every media request.");
        return _server.GetRequests(id, "/media/").OrderBy(r => r.Timestamp).ToList();
    }

    private static void AssertGenerated(string path, string id, long size)
    {
        Assert.Equal(size, new FileInfo(path).Length);
        using var stream = File.OpenRead(path);
        Assert.Equal(GeneratedContent.Sha256(id, Video, size), Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private static FaultSpec Fault(string type, long? afterBytes = null, string? contentType = null) =>
        new() { Type = type, AfterBytes = afterBytes, ContentType = contentType };

    /// <summary>A file outside the destination folder and a link to it planted at <paramref name="name"/> inside.</summary>
    private string PlantLink(string name)
    {
        var target = Path.Combine(_outside, "target-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(target, Precious);
        File.CreateSymbolicLink(Path.Combine(_folder, name), target);
        return target;
    }

    private void AssertUntouched(string target, string linkName)
    {
        Assert.Equal(Precious, File.ReadAllBytes(target));
        Assert.Equal(new[] { Path.GetFileName(target) }, Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal(target, new FileInfo(Path.Combine(_folder, linkName)).LinkTarget);
    }

    // ---- links planted in the destination folder (item 1) -----------------------------------------------------

    [Theory]
    [InlineData(".partial")]
    [InlineData(".partial.validator")]
    [InlineData(".mp4")]
    public async Task ALinkAtANameTheDownloadWritesIsRefusedAndItsTargetIsUntouched(string suffix)
    {
        var id = AddTask(size: 10_000);
        var target = PlantLink(id + suffix);

        var error = await FailsAsync(Item(id));

        Assert.Equal(MediaErrorReason.WriteFailed, error.Reason);
        Assert.Contains("is a symbolic link", error.Message);
        Assert.Contains(Path.Combine(_folder, id + suffix), error.Message);
        AssertUntouched(target, id + suffix);
        Assert.DoesNotContain(id + ".mp4", FilesInFolder().Where(n => suffix != ".mp4"));
    }

    [Fact]
    public async Task ALinkAtThePartialNameOfAResumeIsRefused()
    {
        // A partial and validator from an earlier run, then the partial replaced by a link.
        var id = AddTask(faults: (Video, new[] { Fault("drop", afterBytes: 200_000) }));
        await FailsAsync(Item(id), Downloader(maxRetries: 0));
        var partial = Path.Combine(_folder, id + ".partial");
        File.Delete(partial);
        var target = Path.Combine(_outside, "target");
        File.WriteAllBytes(target, Precious);
        File.CreateSymbolicLink(partial, target);

        var error = await FailsAsync(Item(id));

        Assert.Equal(MediaErrorReason.WriteFailed, error.Reason);
        AssertUntouched(target, id + ".partial");
        Assert.Equal(1, _server.GetTask(id)!.MediaRequestCount);
    }

    [Fact]
    public async Task ADanglingLinkAtThePartialNameCreatesNothingAtItsTarget()
    {
        var id = AddTask(size: 10_000);
        var target = Path.Combine(_outside, "would-be-created");
        File.CreateSymbolicLink(Path.Combine(_folder, id + ".partial"), target);

        var error = await FailsAsync(Item(id));

        Assert.Equal(MediaErrorReason.WriteFailed, error.Reason);
        Assert.Empty(Directory.GetFileSystemEntries(_outside));
        Assert.DoesNotContain(id + ".mp4", FilesInFolder());
    }

    [Fact]
    public async Task AnInlineImageRefusesALinkAtItsPartialName()
    {
        var item = new MediaItem("inline", MediaKind.Image, 0, null, Convert.ToBase64String(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 1 }));
        var target = PlantLink("inline.partial");

        var error = await FailsAsync(item);

        Assert.Equal(MediaErrorReason.WriteFailed, error.Reason);
        AssertUntouched(target, "inline.partial");
        Assert.Equal(new[] { "inline.partial" }, FilesInFolder());
    }

    // ---- truncated and spliced resumes (items 2 and 3) ----------------------------------------------------------

    [Fact]
    public async Task A416ThatCallsATruncatedPartialCompleteIsNotBelieved()
    {
        const long size = 1_048_576;
        var id = AddTask(size, (Video, new[] { Fault("drop", afterBytes: 500_000), Fault("rangeNotSatisfiable", afterBytes: 500_000) }));

        var path = await DownloadAsync(Item(id), Downloader(maxRetries: 2));

        AssertGenerated(path, id, size);
        Assert.Equal(new[] { 200, 416, 200 }, MediaRequests(id).Select(r => r.Status));
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task ATruncatedPartialFromAnEarlierRunIsNeverPromoted()
    {
        const long size = 1_048_576;
        var id = AddTask(size, (Video, new[] { Fault("drop", afterBytes: 500_000), Fault("rangeNotSatisfiable", afterBytes: 500_000), Fault("status") }));
        await FailsAsync(Item(id), Downloader(maxRetries: 0));

        var error = await FailsAsync(Item(id), Downloader(maxRetries: 0));

        Assert.Contains("refused to resume the partial file", error.Message);
        Assert.DoesNotContain(id + ".mp4", FilesInFolder());
    }

    [Fact]
    public async Task A206WithTheSameETagButAnotherTotalIsNotSpliced()
    {
        var id = AddTask(faults: (Video, new[] { Fault("drop", afterBytes: 200_000), Fault("foreignRange", afterBytes: 50_000) }));

        var path = await DownloadAsync(Item(id), Downloader(maxRetries: 2));

        AssertGenerated(path, id, Size);
        Assert.Equal(new[] { 200, 206, 200 }, MediaRequests(id).Select(r => r.Status));
    }

    // ---- bounds on size, time and resumes (item 6) ---------------------------------------------------------------

    [Fact]
    public async Task AnAnnouncedLengthOverTheMaximumIsRefusedBeforeWriting()
    {
        var id = AddTask(faults: (Video, new[] { Fault("hugeLength") }));

        var error = await FailsAsync(Item(id), Downloader(limits: new DownloadLimits(maximumFileSize: 1_000_000)));

        Assert.Equal(MediaErrorReason.TooLarge, error.Reason);
        Assert.Equal("ZAiMediaTooLarge", error.ErrorId);
        Assert.Contains("announced 10737418240 bytes", error.Message);
        Assert.Contains("-MaximumFileSize (1000000 bytes)", error.Message);
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public async Task AnEndlessBodyStopsAtTheMaximumAndThePartialIsRemoved()
    {
        var id = AddTask(faults: (Video, new[] { Fault("endless") }));
        var progress = new DownloadProgress("x");

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(Item(id), Downloader(limits: new DownloadLimits(maximumFileSize: 1_000_000)), progress));

        Assert.Equal(MediaErrorReason.TooLarge, error.Reason);
        Assert.InRange(progress.Bytes, 1, 1_000_000);
        Assert.Empty(FilesInFolder());
        Assert.Equal(1, _server.GetTask(id)!.MediaRequestCount);
    }

    [Theory]
    [InlineData(Size, true)]
    [InlineData(Size - 1, false)]
    public async Task TheMaximumIncludesAFileOfExactlyThatSize(long maximum, bool saved)
    {
        var id = AddTask();
        var downloader = Downloader(limits: new DownloadLimits(maximumFileSize: maximum));

        if (saved)
        {
            AssertGenerated(await DownloadAsync(Item(id), downloader), id, Size);
        }
        else
        {
            Assert.Equal(MediaErrorReason.TooLarge, (await FailsAsync(Item(id), downloader)).Reason);
            Assert.Empty(FilesInFolder());
        }
    }

    [Fact]
    public async Task AHostThatSendsAFewBytesPerAttemptRunsOutOfResumes()
    {
        var shortBody = Fault("shortBody");
        var id = AddTask(faults: (Video, Enumerable.Repeat(shortBody, 10).ToArray()));

        var error = await FailsAsync(Item(id), Downloader(maxRetries: 1, limits: new DownloadLimits(maxResumes: 3)));

        Assert.Contains("Gave up after 3 resumes", error.Message);
        Assert.Equal(4, MediaRequests(id).Count);
    }

    // ---- the watchdog on the injected clock (issue 11) and the per-file deadline ----------------------------------

    /// <summary>Starts a download whose body stalls after 1,000 bytes, and waits until those bytes are in.</summary>
    private async Task<(string Id, Task<string> Download)> StartStalledAsync(ManualClock clock, TimeSpan readTimeout, DownloadLimits? limits = null)
    {
        var id = AddTask(size: 50_000, faults: (Video, new[] { Fault("stall", afterBytes: 1_000) }));
        var progress = new DownloadProgress("x");
        var download = Downloader(maxRetries: 0, readTimeout: readTimeout, limits: limits, clock: clock).DownloadAsync(Item(id), _folder, progress, CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => progress.Bytes == 1_000 || download.IsCompleted, Guard), "The first bytes never arrived.");
        Assert.False(download.IsCompleted);
        return (id, download);
    }

    [Fact]
    public async Task AnIdleBodyIsNotAbandonedAtTheReadTimeout()
    {
        var clock = new ManualClock();
        var (id, download) = await StartStalledAsync(clock, TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(30));
        _server.ReleaseMedia(id);

        AssertGenerated(await download.WaitAsync(Guard), id, 50_000);
    }

    [Fact]
    public async Task AnIdleBodyIsAbandonedJustAfterTheReadTimeout()
    {
        var clock = new ManualClock();
        var (_, download) = await StartStalledAsync(clock, TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(31));

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => download.WaitAsync(Guard));
        Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
        Assert.Contains("ended after 1000 of 50000 bytes", error.Message);
    }

    [Fact]
    public async Task ABodyAtTheMinimumThroughputIsNotAbandonedBeforeItsDeadline()
    {
        var clock = new ManualClock();
        var limits = new DownloadLimits(minimumBytesPerSecond: 100, grace: TimeSpan.FromSeconds(60));
        var (id, download) = await StartStalledAsync(clock, TimeSpan.FromHours(1), limits);

        clock.Advance(TimeSpan.FromSeconds(70));
        _server.ReleaseMedia(id);

        AssertGenerated(await download.WaitAsync(Guard), id, 50_000);
    }

    [Fact]
    public async Task ABodyBelowTheMinimumThroughputFailsAtItsDeadline()
    {
        var clock = new ManualClock();
        var limits = new DownloadLimits(minimumBytesPerSecond: 100, grace: TimeSpan.FromSeconds(60));
        var (id, download) = await StartStalledAsync(clock, TimeSpan.FromHours(1), limits);

        clock.Advance(TimeSpan.FromSeconds(71)); // 1,000 bytes are enough until 60 s + 1000 / (100 bytes/s)

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => download.WaitAsync(Guard));
        Assert.Equal(MediaErrorReason.TooSlow, error.Reason);
        Assert.Equal("ZAiMediaTooSlow", error.ErrorId);
        Assert.Contains("sent 1000 bytes in 71 s", error.Message);
        Assert.True(File.Exists(Path.Combine(_folder, id + ".partial")));
    }

    [Fact]
    public async Task AWatchdogThatFiresAfterTheDownloadEndedDoesNotThrow()
    {
        // Timer.Dispose does not wait for a callback already running: model the worst case, a callback that runs
        // after everything it uses was disposed. An exception there would end the process.
        var clock = new LateFiringClock();
        var id = AddTask(size: 10_000);

        await DownloadAsync(Item(id), Downloader(clock: clock));

        Assert.NotEmpty(clock.Callbacks);
        clock.Now = TimeSpan.FromHours(1);
        foreach (var callback in clock.Callbacks) callback();
    }

    /// <summary>A clock whose periodic callbacks are kept (and never fire on their own) so a test can run them late.</summary>
    private sealed class LateFiringClock : IClock
    {
        public List<Action> Callbacks { get; } = new();

        public TimeSpan Now { get; set; }

        public DateTime UtcNow => DateTime.UtcNow;

        public TimeSpan Elapsed => Now;

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.CompletedTask;

        public IDisposable Every(TimeSpan period, Action callback)
        {
            Callbacks.Add(callback);
            return new NoOp();
        }

        private sealed class NoOp : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    // ---- not media at all (item 9) -------------------------------------------------------------------------------

    [Theory]
    [InlineData(null, "answered a text/html document, not a video file")] // told by its Content-Type
    [InlineData("video/mp4", "answered an HTML or XML document, not a video file")] // told by its first bytes
    public async Task AnHtmlPageIsNeverSavedAsAVideo(string? contentType, string message)
    {
        var id = AddTask(faults: (Video, new[] { Fault("html", contentType: contentType) }));

        var error = await FailsAsync(Item(id));

        Assert.Equal(MediaErrorReason.UnexpectedContent, error.Reason);
        Assert.Contains(message, error.Message);
        Assert.Empty(FilesInFolder());
        Assert.Single(MediaRequests(id));
    }

    // ---- replacing an existing file (issue 11) --------------------------------------------------------------------

    [Fact]
    public void AReplaceThatCannotHappenKeepsTheOldFile()
    {
        var final = Path.Combine(_folder, "old.mp4");
        File.WriteAllBytes(final, Precious);

        Assert.ThrowsAny<IOException>(() => SafeFile.MoveReplacing(Path.Combine(_folder, "vanished.partial"), final));

        Assert.Equal(Precious, File.ReadAllBytes(final));
    }

    [Fact]
    public void AReplaceGivesTheNewBytesTheNameInOneStep()
    {
        var final = Path.Combine(_folder, "old.mp4");
        var partial = Path.Combine(_folder, "old.partial");
        File.WriteAllBytes(final, Precious);
        File.WriteAllBytes(partial, new byte[] { 1, 2, 3 });

        SafeFile.MoveReplacing(partial, final);

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(final));
        Assert.Equal(new[] { "old.mp4" }, FilesInFolder());
    }
}
