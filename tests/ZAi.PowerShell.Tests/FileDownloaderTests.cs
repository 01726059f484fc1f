using System.Security.Cryptography;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Downloads over real loopback HTTP from the emulator's media endpoint, with injected media faults.</summary>
public sealed class FileDownloaderTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const long Size = 600_000; // more than two 256 KiB buffers
    private const string Video = "video_0.mp4";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-download-" + Guid.NewGuid().ToString("N"));
    private readonly string _folder;
    private readonly CollectingLog _log = new();

    public FileDownloaderTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _folder = Path.Combine(_root, "out");
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private string AddTask(string kind = "video", long size = Size, string? cover = null, string? id = null, int count = 1, params (string File, FaultSpec[] Faults)[] faults)
    {
        var spec = new TaskSpec
        {
            Id = id ?? EmulatorFixture.NewId("media"),
            Kind = kind,
            MediaSize = size,
            CoverExtension = cover,
            VideoCount = count,
            ImageCount = count,
            MediaFaults = faults.ToDictionary(f => f.File, f => f.Faults.ToList()),
        };
        _server.AddTasks(spec);
        return spec.Id;
    }

    private string Url(string id, string file) => new Uri(_server.RootUrl, "media/" + Uri.EscapeDataString(id) + "/" + file).ToString();

    private MediaItem Item(string id, string file, MediaKind kind = MediaKind.Video, int index = 0) => new(id, kind, index, Url(id, file), null);

    private FileDownloader Downloader(int maxRetries = 3, TimeSpan? readTimeout = null, HttpClient? client = null) =>
        new(client ?? MediaHttpClient.Instance, new RetryPolicy(maxRetries), readTimeout ?? TimeSpan.FromSeconds(10), _log);

    private async Task<string> DownloadAsync(MediaItem item, FileDownloader? downloader = null, DownloadProgress? progress = null, CancellationToken token = default) =>
        await (downloader ?? Downloader()).DownloadAsync(item, _folder, progress ?? new DownloadProgress(item.BaseName), token).WaitAsync(Guard);

    private async Task<ZAiMediaException> FailsAsync(MediaItem item, FileDownloader? downloader = null) =>
        await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(item, downloader));

    /// <summary>
    /// The media requests of a task in arrival order. The emulator logs a request when its handler ends, which can be
    /// just after the client has read the whole body, so this waits for the log to catch up with the request count.
    /// </summary>
    private IReadOnlyList<RequestLogEntry> MediaRequests(string id)
    {
        var expected = _server.GetTask(id)!.MediaRequestCount;
        Assert.True(SpinWait.SpinUntil(() => _server.GetRequests(id, "/media/").Count >= expected, Guard), "The emulator did not log every media request.");
        return _server.GetRequests(id, "/media/").OrderBy(r => r.Timestamp).ToList();
    }

    private static string? Header(RequestLogEntry entry, string name) => entry.Headers.TryGetValue(name, out var value) ? value : null;

    private string[] FilesInFolder() => Directory.GetFiles(_folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static byte[] Generated(string id, string file, long size)
    {
        var bytes = new byte[size];
        GeneratedContent.Fill(id, file, 0, bytes);
        return bytes;
    }

    private static void AssertGenerated(string path, string id, string file, long size)
    {
        Assert.Equal(size, new FileInfo(path).Length);
        Assert.Equal(GeneratedContent.Sha256(id, file, size), Sha256(path));
    }

    private static FaultSpec Fault(string type, int? status = null, long? afterBytes = null, string? retryAfter = null, long? bytesPerSecond = null) =>
        new() { Type = type, Status = status, AfterBytes = afterBytes, RetryAfter = retryAfter, BytesPerSecond = bytesPerSecond };

    // ---- complete downloads ------------------------------------------------------------------

    [Fact]
    public async Task AFilesRateCountsFromWhenItsDownloadBeganByTheDownloadersClock()
    {
        var id = AddTask();
        var item = Item(id, Video);
        var progress = new DownloadProgress(item.BaseName);
        var clock = new ManualClock();
        clock.Advance(TimeSpan.FromSeconds(10));
        var downloader = new FileDownloader(MediaHttpClient.Instance, new RetryPolicy(0), TimeSpan.FromSeconds(10), _log, clock: clock);

        await DownloadAsync(item, downloader, progress);

        Assert.Equal(Size, progress.Received);
        Assert.Equal(0, progress.BytesPerSecond(clock.Elapsed)); // nothing has passed on this clock since it began
        Assert.Equal(Size / 2.0, progress.BytesPerSecond(clock.Elapsed + TimeSpan.FromSeconds(2)), 3);
    }

    [Fact]
    public async Task AWholeVideoIsSavedByteForByteUnderItsFinalName()
    {
        var id = AddTask();
        var item = Item(id, Video);
        var progress = new DownloadProgress(item.BaseName);

        var path = await DownloadAsync(item, progress: progress);

        Assert.Equal(Path.Combine(_folder, id + ".mp4"), path);
        AssertGenerated(path, id, Video, Size);
        using (var plain = new HttpClient())
        {
            Assert.Equal(await plain.GetByteArrayAsync(item.Url), await File.ReadAllBytesAsync(path));
        }
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        Assert.Equal(Size, progress.Bytes);
        Assert.Equal(Size, progress.Total);
        var first = MediaRequests(id)[0];
        Assert.Equal("GET", first.Method);
        Assert.Equal(200, first.Status);
        Assert.Null(Header(first, "Range"));
        Assert.Null(Header(first, "If-Range"));
    }

    [Theory]
    [InlineData("video", "jpeg", "video_0_cover.jpeg", MediaKind.Cover, 0, ".cover.jpg")]
    [InlineData("video", "png", "video_1_cover.png", MediaKind.Cover, 1, "-1.cover.png")]
    [InlineData("video", null, "video_1.mp4", MediaKind.Video, 1, "-1.mp4")]
    [InlineData("image", null, "image_0.png", MediaKind.Image, 0, ".png")]
    [InlineData("image", null, "image_1.png", MediaKind.Image, 1, "-1.png")]
    public async Task EachKindIsSavedWithTheExtensionOfItsContentType(string kind, string? cover, string file, MediaKind mediaKind, int index, string suffix)
    {
        var id = AddTask(kind, size: 50_000, cover: cover, count: 2);

        var path = await DownloadAsync(Item(id, file, mediaKind, index));

        Assert.Equal(Path.Combine(_folder, id + suffix), path);
        AssertGenerated(path, id, file, 50_000);
        Assert.Equal(new[] { id + suffix }, FilesInFolder());
    }

    [Fact]
    public async Task AnEmptyFileIsSaved()
    {
        var id = AddTask(size: 0);
        var progress = new DownloadProgress("x");

        var path = await DownloadAsync(Item(id, Video), progress: progress);

        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Equal(0, progress.Total);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task AnExistingFileIsReplacedOnlyOnceTheNewOneIsComplete()
    {
        // Skipping or refusing existing files (-Force, -NoClobber) is Save-ZAiMedia's job; the downloader replaces.
        var id = AddTask(faults: (Video, new[] { Fault("status", status: 404) }));
        var final = Path.Combine(_folder, id + ".mp4");
        await File.WriteAllTextAsync(final, "old content");

        await FailsAsync(Item(id, Video));
        Assert.Equal("old content", await File.ReadAllTextAsync(final));

        var path = await DownloadAsync(Item(id, Video));
        Assert.Equal(final, path);
        AssertGenerated(final, id, Video, Size);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task AHostileTaskIdStillSavesInsideTheFolder()
    {
        var id = "../../" + Guid.NewGuid().ToString("N") + " x";
        AddTask(id: id, size: 10_000);

        var path = await DownloadAsync(Item(id, Video));

        Assert.Equal(_folder, Path.GetDirectoryName(path));
        Assert.Equal("_.._" + id.Substring(6) + "-" + MediaFileNames.Hash(id) + ".mp4", Path.GetFileName(path));
        AssertGenerated(path, id, Video, 10_000);
        Assert.Equal(new[] { "out" }, Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
    }

    // ---- resume ------------------------------------------------------------------------------

    [Fact]
    public async Task ADroppedConnectionIsResumedWithARangeRequestAndGivesAnIdenticalFile()
    {
        var id = AddTask(faults: (Video, new[] { Fault("drop", afterBytes: 200_000) }));
        var progress = new DownloadProgress("x");

        var path = await DownloadAsync(Item(id, Video), progress: progress);

        AssertGenerated(path, id, Video, Size);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        var requests = MediaRequests(id);
        Assert.Equal(2, requests.Count);
        Assert.Null(Header(requests[0], "Range"));
        Assert.Equal("bytes=200000-", Header(requests[1], "Range"));
        Assert.Equal(GeneratedContent.ETag(id, Video, Size), Header(requests[1], "If-Range"));
        Assert.Equal(206, requests[1].Status);
        Assert.Equal(Size, progress.Bytes);
        Assert.Equal(Size, progress.Total);
        Assert.Contains(_log.VerboseMessages, m => m.Contains("Resuming from byte 200000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedRunKeepsThePartialFileAndTheNextRunResumesIt()
    {
        var id = AddTask(faults: (Video, new[] { Fault("drop", afterBytes: 250_000) }));
        var partial = Path.Combine(_folder, id + ".partial");

        var error = await FailsAsync(Item(id, Video), Downloader(maxRetries: 0));

        Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
        Assert.Equal("ZAiMediaLengthMismatch", error.ErrorId);
        Assert.Contains("Gave up after 1 attempts; the partial file (250000 bytes) is kept and the next run resumes it.", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder, id + ".mp4")));
        Assert.Equal(250_000, new FileInfo(partial).Length);
        Assert.Equal(Generated(id, Video, 250_000), await File.ReadAllBytesAsync(partial));
        Assert.Equal(new[] { id + ".partial", id + ".partial.validator" }, FilesInFolder());

        var path = await DownloadAsync(Item(id, Video), Downloader(maxRetries: 0));

        AssertGenerated(path, id, Video, Size);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        var requests = MediaRequests(id);
        Assert.Equal(2, requests.Count);
        Assert.Equal("bytes=250000-", Header(requests[1], "Range"));
        Assert.Equal(206, requests[1].Status);
    }

    [Fact]
    public async Task RetriesThatMakeProgressDoNotUseUpTheRetryBudget()
    {
        var shortBody = Fault("shortBody");
        var id = AddTask(faults: (Video, new[] { shortBody, shortBody, shortBody }));

        var path = await DownloadAsync(Item(id, Video), Downloader(maxRetries: 1));

        AssertGenerated(path, id, Video, Size);
        var requests = MediaRequests(id);
        Assert.Equal(new string?[] { null, "bytes=300000-", "bytes=450000-", "bytes=525000-" }, requests.Select(r => Header(r, "Range")));
    }

    [Fact]
    public async Task AServerWithoutRangesIsDownloadedAgainFromTheStart()
    {
        var id = AddTask(faults: (Video, new[] { Fault("drop", afterBytes: 200_000), Fault("noRange") }));

        var path = await DownloadAsync(Item(id, Video));

        AssertGenerated(path, id, Video, Size);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        var requests = MediaRequests(id);
        Assert.Equal(2, requests.Count);
        Assert.Equal("bytes=200000-", Header(requests[1], "Range"));
        Assert.Equal(200, requests[1].Status);
    }

    [Fact]
    public async Task APartialFileWithoutAValidatorIsNotTrusted()
    {
        var id = AddTask();
        await File.WriteAllBytesAsync(Path.Combine(_folder, id + ".partial"), new byte[1000]);

        var path = await DownloadAsync(Item(id, Video));

        AssertGenerated(path, id, Video, Size);
        var request = Assert.Single(MediaRequests(id));
        Assert.Null(Header(request, "Range"));
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task APartialFileOfAnotherVersionIsReplacedByTheWholeFile()
    {
        var id = AddTask();
        await File.WriteAllBytesAsync(Path.Combine(_folder, id + ".partial"), new byte[1000]);
        await File.WriteAllLinesAsync(Path.Combine(_folder, id + ".partial.validator"), new[] { "\"stale-etag\"", "video/mp4" });

        var path = await DownloadAsync(Item(id, Video));

        AssertGenerated(path, id, Video, Size);
        var request = Assert.Single(MediaRequests(id));
        Assert.Equal("bytes=1000-", Header(request, "Range"));
        Assert.Equal("\"stale-etag\"", Header(request, "If-Range"));
        Assert.Equal(200, request.Status);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task ACompletePartialFileIsPromotedWithoutDownloadingAgain()
    {
        var id = AddTask();
        await File.WriteAllBytesAsync(Path.Combine(_folder, id + ".partial"), Generated(id, Video, Size));
        await File.WriteAllLinesAsync(Path.Combine(_folder, id + ".partial.validator"), new[] { GeneratedContent.ETag(id, Video, Size), "video/mp4", Size.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var path = await DownloadAsync(Item(id, Video));

        Assert.Equal(Path.Combine(_folder, id + ".mp4"), path);
        AssertGenerated(path, id, Video, Size);
        var request = Assert.Single(MediaRequests(id));
        Assert.Equal($"bytes={Size}-", Header(request, "Range"));
        Assert.Equal(416, request.Status);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task ACompletePartialFileReportsItsSizeAsProgress()
    {
        var id = AddTask();
        await File.WriteAllBytesAsync(Path.Combine(_folder, id + ".partial"), Generated(id, Video, Size));
        await File.WriteAllLinesAsync(Path.Combine(_folder, id + ".partial.validator"), new[] { GeneratedContent.ETag(id, Video, Size), "video/mp4", Size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var progress = new DownloadProgress("x");

        await DownloadAsync(Item(id, Video), progress: progress);

        Assert.Equal(Size, progress.Bytes);
        Assert.Equal(Size, progress.Total);
    }

    [Fact]
    public async Task APartialFileLongerThanTheFileIsDiscardedAndDownloadedAgain()
    {
        var id = AddTask(size: 10_000);
        await File.WriteAllBytesAsync(Path.Combine(_folder, id + ".partial"), new byte[20_000]);
        await File.WriteAllLinesAsync(Path.Combine(_folder, id + ".partial.validator"), new[] { GeneratedContent.ETag(id, Video, 10_000), "video/mp4" });

        var path = await DownloadAsync(Item(id, Video));

        AssertGenerated(path, id, Video, 10_000);
        var requests = MediaRequests(id);
        Assert.Equal(new[] { 416, 200 }, requests.Select(r => r.Status));
        Assert.Equal("bytes=20000-", Header(requests[0], "Range"));
        Assert.Null(Header(requests[1], "Range"));
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    // ---- length checks -----------------------------------------------------------------------

    [Fact]
    public async Task ABodyShorterThanAnnouncedIsALengthMismatch()
    {
        var id = AddTask(faults: (Video, new[] { Fault("shortBody") }));

        var error = await FailsAsync(Item(id, Video), Downloader(maxRetries: 0));

        Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
        Assert.Contains($"ended after 300000 of {Size} bytes", error.Message);
        Assert.Equal(Item(id, Video).Url, error.Url);
        Assert.False(error.IsTransient);
        var inner = Assert.IsType<ZAiMediaException>(error.InnerException);
        Assert.True(inner.IsTransient);
        Assert.DoesNotContain(id + ".mp4", FilesInFolder());
    }

    [Fact]
    public async Task WithoutAnAnnouncedLengthTheBodyIsTakenAsSent()
    {
        // wrongLength: chunked, no Content-Length and no ranges, 100 bytes more than the file. Nothing announced
        // a length, so nothing can be checked: the downloader promises only "of the announced length".
        var id = AddTask(size: 10_000, faults: (Video, new[] { Fault("wrongLength") }));
        var progress = new DownloadProgress("x");

        var path = await DownloadAsync(Item(id, Video), progress: progress);

        Assert.Equal(10_100, new FileInfo(path).Length);
        Assert.Equal(Generated(id, Video, 10_000), (await File.ReadAllBytesAsync(path)).Take(10_000).ToArray());
        Assert.Equal(-1, progress.Total);
        Assert.Equal(10_100, progress.Bytes);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task AStalledBodyIsAbandonedAfterTheReadTimeout()
    {
        var id = AddTask(size: 4096, faults: (Video, new[] { Fault("drip", bytesPerSecond: 1) }));

        var error = await FailsAsync(Item(id, Video), Downloader(maxRetries: 0, readTimeout: TimeSpan.FromMilliseconds(200)));

        Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
        Assert.Contains("of 4096 bytes", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder, id + ".mp4")));
        Assert.True(File.Exists(Path.Combine(_folder, id + ".partial")));
    }

    // ---- HTTP errors -------------------------------------------------------------------------

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task AnExpiredLinkFailsAtOnceWithLinkExpired(int status)
    {
        var id = AddTask(faults: (Video, new[] { Fault("status", status: status) }));
        var item = Item(id, Video);

        var error = await FailsAsync(item);

        Assert.Equal(MediaErrorReason.LinkExpired, error.Reason);
        Assert.Equal("ZAiMediaLinkExpired", error.ErrorId);
        Assert.Equal(item.Url, error.Url);
        Assert.False(error.IsTransient);
        Assert.Contains($"answered HTTP {status}", error.Message);
        Assert.Contains($"video 0 of task '{id}'", error.Message);
        Assert.Single(MediaRequests(id));
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public async Task AFileTheHostDoesNotHaveIsLinkExpired()
    {
        var id = AddTask(count: 1);

        var error = await FailsAsync(Item(id, "video_5.mp4", index: 5));

        Assert.Equal(MediaErrorReason.LinkExpired, error.Reason);
        Assert.Contains("answered HTTP 404", error.Message);
        Assert.Single(MediaRequests(id));
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public async Task AnOtherClientErrorFailsAtOnceWithDownloadFailed()
    {
        var id = AddTask(faults: (Video, new[] { Fault("status", status: 400) }));

        var error = await FailsAsync(Item(id, Video));

        Assert.Equal(MediaErrorReason.DownloadFailed, error.Reason);
        Assert.Equal("ZAiMediaDownloadFailed", error.ErrorId);
        Assert.Contains("answered HTTP 400", error.Message);
        Assert.Single(MediaRequests(id));
        Assert.Empty(FilesInFolder());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task TransientStatusesAreRetried(int status)
    {
        var fault = Fault("status", status: status, retryAfter: "0");
        var id = AddTask(faults: (Video, new[] { fault, fault }));

        var path = await DownloadAsync(Item(id, Video), Downloader(maxRetries: 2));

        AssertGenerated(path, id, Video, Size);
        Assert.Equal(new[] { status, status, 200 }, MediaRequests(id).Select(r => r.Status));
    }

    [Fact]
    public async Task RetriesWithoutProgressEndInDownloadFailed()
    {
        var fault = Fault("status", status: 503, retryAfter: "0");
        var id = AddTask(faults: (Video, new[] { fault, fault, fault, fault }));

        var error = await FailsAsync(Item(id, Video), Downloader(maxRetries: 2));

        Assert.Equal(MediaErrorReason.DownloadFailed, error.Reason);
        Assert.Contains("answered HTTP 503", error.Message);
        Assert.Contains("Gave up after 3 attempts.", error.Message);
        // No byte arrived, so no partial file exists and the message does not promise one.
        Assert.DoesNotContain("partial file", error.Message);
        Assert.Equal(3, MediaRequests(id).Count);
        Assert.Empty(FilesInFolder());
    }

    // ---- links and credentials ---------------------------------------------------------------

    [Theory]
    [InlineData("ftp://cdn.test/a.mp4")]
    [InlineData("file:///etc/passwd")]
    [InlineData("relative/a.mp4")]
    [InlineData("/absolute/path.mp4")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task OnlyAbsoluteHttpAndHttpsLinksAreDownloaded(string url)
    {
        var item = new MediaItem("t", MediaKind.Video, 0, url, null);

        var checkError = Assert.Throws<ZAiMediaException>(() => FileDownloader.CheckUrl(item));
        var error = await FailsAsync(item);

        Assert.Equal(MediaErrorReason.InvalidUrl, checkError.Reason);
        Assert.Equal("ZAiInvalidMediaUrl", checkError.ErrorId);
        Assert.Equal(url, checkError.Url);
        Assert.Equal(MediaErrorReason.InvalidUrl, error.Reason);
        Assert.Empty(FilesInFolder());
    }

    [Theory]
    [InlineData("http://cdn.test/a.mp4")]
    [InlineData("https://cdn.test/a.mp4?sig=1")]
    [InlineData("HTTPS://CDN.TEST/A.MP4")]
    public void HttpAndHttpsLinksPassTheCheck(string url)
    {
        var uri = FileDownloader.CheckUrl(new MediaItem("t", MediaKind.Video, 0, url, null));

        Assert.Equal(new Uri(url), uri);
    }

    [Fact]
    public async Task NoAuthorizationHeaderEverReachesTheMediaHost()
    {
        var id = AddTask(count: 2, size: 300_000, faults: (Video, new[] { Fault("drop", afterBytes: 100_000) }));
        var result = await new AsyncResultClient(new ApiRequestSender(_fixture.Settings(), _log)).GetAsync(id, CancellationToken.None);
        var plan = MediaPlanner.FromInput(result, new[] { MediaKind.Video, MediaKind.Cover });
        Assert.Equal(4, plan.Items.Count);

        foreach (var item in plan.Items)
        {
            await DownloadAsync(item);
        }

        Assert.Equal(4, FilesInFolder().Length);
        var api = Assert.Single(_server.GetRequests(id, "/api/"));
        Assert.Equal("Bearer " + EmulatorFixture.ApiKeyValue, Header(api, "Authorization"));
        var media = MediaRequests(id);
        Assert.Equal(5, media.Count);
        Assert.All(media, request =>
        {
            Assert.Null(Header(request, "Authorization"));
            Assert.Null(Header(request, "Proxy-Authorization"));
            Assert.Null(Header(request, "Cookie"));
            Assert.All(request.Headers.Values, value => Assert.DoesNotContain(EmulatorFixture.ApiKeyValue, value));
        });
    }

    // ---- inline images -----------------------------------------------------------------------

    [Theory]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 }, ".png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7 }, ".jpg")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, ".gif")]
    public async Task AnInlineImageIsWrittenWithTheExtensionOfItsBytes(byte[] bytes, string extension)
    {
        var item = new MediaItem("inline", MediaKind.Image, 1, null, Convert.ToBase64String(bytes));
        var progress = new DownloadProgress("x");

        var path = await DownloadAsync(item, progress: progress);

        Assert.Equal(Path.Combine(_folder, "inline-1" + extension), path);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.Equal(bytes.Length, progress.Bytes);
        Assert.Equal(bytes.Length, progress.Total);
        Assert.Equal(new[] { "inline-1" + extension }, FilesInFolder());
    }

    [Fact]
    public async Task InvalidInlineBase64FailsWithoutWritingAnything()
    {
        var item = new MediaItem("inline", MediaKind.Image, 0, null, "not base64 !!");

        var error = await FailsAsync(item);

        Assert.Equal(MediaErrorReason.DownloadFailed, error.Reason);
        Assert.Contains("is not valid base64", error.Message);
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public async Task AnInlineImageThatCannotBeWrittenIsWriteFailed()
    {
        var item = new MediaItem("inline", MediaKind.Image, 0, null, Convert.ToBase64String(new byte[] { 1, 2, 3 }));
        var missing = Path.Combine(_root, "missing");

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => Downloader().DownloadAsync(item, missing, new DownloadProgress("x"), CancellationToken.None));

        Assert.Equal(MediaErrorReason.WriteFailed, error.Reason);
        Assert.Equal("ZAiMediaWriteFailed", error.ErrorId);
    }

    [Fact]
    public async Task ALinkedFileThatCannotBeWrittenIsWriteFailed()
    {
        var id = AddTask(size: 1000);
        var missing = Path.Combine(_root, "missing");

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => Downloader().DownloadAsync(Item(id, Video), missing, new DownloadProgress("x"), CancellationToken.None));

        Assert.Equal(MediaErrorReason.WriteFailed, error.Reason);
    }

    // ---- cancellation ------------------------------------------------------------------------

    [Fact]
    public async Task CancellingMidBodyStopsAtOnceAndKeepsThePartialFileForTheNextRun()
    {
        var id = AddTask(faults: (Video, new[] { Fault("drip", bytesPerSecond: 10_000) })); // a minute for the whole file
        var handler = new SignallingHandler(HttpHandlerFactory.Create(TimeSpan.FromSeconds(5), forMedia: true));
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var download = Downloader(client: client).DownloadAsync(Item(id, Video), _folder, new DownloadProgress("x"), stop.Token);
        await handler.FirstResponse.WaitAsync(Guard);

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download.WaitAsync(Guard));
        Assert.False(File.Exists(Path.Combine(_folder, id + ".mp4")));
        var partial = Path.Combine(_folder, id + ".partial");
        Assert.True(File.Exists(partial));
        var kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 0, Size - 1);
        Assert.Equal(1, _server.GetTask(id)!.MediaRequestCount);

        var path = await DownloadAsync(Item(id, Video));

        AssertGenerated(path, id, Video, Size);
        var requests = MediaRequests(id);
        Assert.Equal(2, requests.Count);
        Assert.Equal(kept > 0 ? $"bytes={kept}-" : null, Header(requests[1], "Range"));
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task AnAlreadyCancelledDownloadSendsNothing()
    {
        var id = AddTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Downloader().DownloadAsync(Item(id, Video), _folder, new DownloadProgress("x"), new CancellationToken(canceled: true)));

        Assert.Empty(MediaRequests(id));
        Assert.Empty(FilesInFolder());
    }
}
