using System.Security.Cryptography;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Transfer;

/// <summary>
/// The one-connection step on its own, over real loopback HTTP to the emulator: what it asks (a whole file, or the
/// rest of a partial file with Range and If-Range), how it judges the answer, and what its copy leaves on disk.
/// Time is virtual; the class has its own media client.
/// </summary>
public sealed class SingleStreamDownloadTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const long Size = 300_000;
    private const string Video = EmulatorVideo.File;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private readonly EmulatorServer _server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-single-" + Guid.NewGuid().ToString("N"));
    private readonly CollectingLog _log = new();
    private readonly ManualClock _clock = new();
    private readonly HttpClient _client = MediaHttpClient.Create(ProxyRoute.Direct);

    public SingleStreamDownloadTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
        _server.ConfigureMedia(new MediaHostConfig { BytesPerSecond = 0, LatencyMs = 0, Ranges = true, ETag = "strong", LastModified = "past" });
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        _server.ConfigureMedia(new MediaHostConfig { BytesPerSecond = 0, LatencyMs = 0, Ranges = true, ETag = "strong", LastModified = "past" });
        _client.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string AddTask(params FaultSpec[] faults) => EmulatorVideo.Add(_server, "single", Size, faults);

    private SingleStreamDownload Step(long maximumFileSize = DownloadLimits.DefaultMaximumFileSize)
    {
        var limits = new DownloadLimits(maximumFileSize);
        return new SingleStreamDownload(new MediaRequestSender(_client), new BodyCopier(_clock, TimeSpan.FromSeconds(10), limits), limits, TimeSpan.FromSeconds(10), _log);
    }

    private DownloadJob Job(string id) => EmulatorVideo.Job(_server, id, _root);

    /// <summary>A partial file holding the first <paramref name="have"/> bytes of the task's video, under <paramref name="record"/>.</summary>
    private static void Partial(DownloadJob job, long have, PartialRecord? record)
    {
        File.WriteAllBytes(job.Partial.Path, EmulatorVideo.Bytes(job.Item.TaskId, 0, have));
        job.Partial.WriteRecord(record);
    }

    private static string ETag(string id) => GeneratedContent.ETag(id, Video, Size);

    private RequestLogEntry OnlyRequest(string id)
    {
        Assert.True(SpinWait.SpinUntil(() => _server.GetRequests(id, "/media/").Count >= _server.GetTask(id)!.MediaRequestCount, Guard));
        return Assert.Single(_server.GetRequests(id, "/media/"));
    }

    private static string? Header(RequestLogEntry entry, string name) => entry.Headers.TryGetValue(name, out var value) ? value : null;

    private static void AssertWhole(string path, string id)
    {
        Assert.Equal(Size, new FileInfo(path).Length);
        using var stream = File.OpenRead(path);
        Assert.Equal(GeneratedContent.Sha256(id, Video, Size), Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    [Fact]
    public async Task WithNoPartialTheWholeFileIsAskedAndItsStrongValidatorRecordedForLaterRanges()
    {
        var id = AddTask();
        var job = Job(id);

        using var answer = await Step().OpenAsync(job, CancellationToken.None).WaitAsync(Guard);

        Assert.Null(answer.Done);
        Assert.Equal(0, answer.Offset);
        Assert.Equal(Size, answer.Total);
        Assert.Equal("video/mp4", answer.ContentType);
        Assert.Equal(ETag(id), answer.Fresh!.Validator);
        Assert.Equal(Size, answer.Fresh.Total);
        var request = OnlyRequest(id);
        Assert.Null(Header(request, "Range"));
        Assert.Null(Header(request, "If-Range"));
        Assert.False(File.Exists(job.Partial.Path)); // judging writes nothing
    }

    [Theory]
    [InlineData(false, "strong", null)]                      // no Accept-Ranges: nothing to resume with
    [InlineData(true, "weak", "gives no strong validator")]  // a weak ETag cannot prove a range is of the same file
    public async Task AWholeFileWithoutRangesOrAStrongValidatorIsRecordedAsNothingToResume(bool ranges, string etag, string? verbose)
    {
        _server.ConfigureMedia(new MediaHostConfig { Ranges = ranges, ETag = etag, LastModified = "none" });
        var id = AddTask();
        var job = Job(id);

        using var answer = await Step().OpenAsync(job, CancellationToken.None).WaitAsync(Guard);

        Assert.Null(answer.Fresh);
        Assert.Equal(Size, answer.Total);
        if (verbose is null) Assert.Empty(_log.VerboseMessages);
        else Assert.Contains(verbose, Assert.Single(_log.VerboseMessages));
    }

    [Fact]
    public async Task APartialFileIsContinuedFromItsEndUnderIfRangeAndTheCopyCompletesIt()
    {
        var id = AddTask();
        var job = Job(id);
        Partial(job, 100_000, new PartialRecord(ETag(id), "video/mp4", Size));
        var step = Step();

        using var answer = await step.OpenAsync(job, CancellationToken.None).WaitAsync(Guard);
        var body = await step.CopyAsync(job, answer, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(100_000, answer.Offset);
        Assert.Equal(Size, body.Total);
        Assert.Equal("video/mp4", body.ContentType);
        var request = OnlyRequest(id);
        Assert.Equal("bytes=100000-", Header(request, "Range"));
        Assert.Equal(ETag(id), Header(request, "If-Range"));
        Assert.Equal(206, request.Status);
        AssertWhole(job.Partial.Path, id);
        Assert.Equal(Size, job.Progress.Bytes);
        Assert.Equal(Size - 100_000, job.Progress.Received);
    }

    [Fact]
    public async Task APartialFileWithoutARecordIsNotTrustedAndTheWholeFileReplacesIt()
    {
        var id = AddTask();
        var job = Job(id);
        File.WriteAllBytes(job.Partial.Path, new byte[50_000]); // zeros: not this file's bytes
        var step = Step();

        using var answer = await step.OpenAsync(job, CancellationToken.None).WaitAsync(Guard);
        await step.CopyAsync(job, answer, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(0, answer.Offset);
        Assert.Null(Header(OnlyRequest(id), "Range"));
        AssertWhole(job.Partial.Path, id);
        Assert.Equal(ETag(id), job.Partial.ReadRecord()!.Validator);
    }

    [Fact]
    public async Task AFileThatChangedSinceThePartialComesWholeFromByteZero()
    {
        var id = AddTask();
        var job = Job(id);
        Partial(job, 100_000, new PartialRecord("\"another-version\"", "video/mp4", Size));
        var step = Step();

        using var answer = await step.OpenAsync(job, CancellationToken.None).WaitAsync(Guard);
        await step.CopyAsync(job, answer, CancellationToken.None).WaitAsync(Guard);

        var request = OnlyRequest(id);
        Assert.Equal("\"another-version\"", Header(request, "If-Range"));
        Assert.Equal(200, request.Status);
        Assert.Equal(0, answer.Offset);
        AssertWhole(job.Partial.Path, id);
        Assert.Equal(ETag(id), job.Partial.ReadRecord()!.Validator); // the record now names the version on disk
    }

    [Fact]
    public async Task AComplete416PartialIsDoneWithoutACopyWhenTheHostConfirmsItsLength()
    {
        var id = AddTask();
        var job = Job(id);
        Partial(job, Size, new PartialRecord(ETag(id), "video/mp4", Size));

        using var answer = await Step().OpenAsync(job, CancellationToken.None).WaitAsync(Guard);

        Assert.Null(answer.Response);
        Assert.Equal(Size, answer.Done!.Total);
        Assert.Equal("video/mp4", answer.Done.ContentType);
        Assert.Equal(416, OnlyRequest(id).Status);
        Assert.Equal(Size, job.Progress.Bytes);
        Assert.Equal(Size, job.Progress.Total);
        AssertWhole(job.Partial.Path, id);
    }

    [Fact]
    public async Task A416ForAPartialTheRecordCallsShorterRemovesItAndIsTransient()
    {
        // The record says the file is longer than the host now says: the partial cannot be shown complete.
        var id = AddTask();
        var job = Job(id);
        Partial(job, Size, new PartialRecord(ETag(id), "video/mp4", Size + 10));

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => Step().OpenAsync(job, CancellationToken.None).WaitAsync(Guard));

        Assert.True(error.IsTransient);
        Assert.Equal(MediaErrorReason.DownloadFailed, error.Reason);
        Assert.Contains("refused to resume the partial file; starting again", error.Message);
        Assert.False(File.Exists(job.Partial.Path));
        Assert.False(File.Exists(job.Partial.SidePath));
    }

    [Fact]
    public async Task A206ForAnotherRangeRemovesThePartialAndIsTransient()
    {
        var id = AddTask(new FaultSpec { Type = "wrongRange" });
        var job = Job(id);
        Partial(job, 100_000, new PartialRecord(ETag(id), "video/mp4", Size));

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => Step().OpenAsync(job, CancellationToken.None).WaitAsync(Guard));

        Assert.True(error.IsTransient);
        Assert.Contains("answered a range that does not continue the partial file", error.Message);
        Assert.False(File.Exists(job.Partial.Path));
    }

    [Fact]
    public async Task AnAnnouncedLengthOverTheMaximumIsRefusedBeforeAByteIsWritten()
    {
        var id = AddTask();
        var job = Job(id);
        Partial(job, 100_000, new PartialRecord("\"another-version\"", "video/mp4", Size));

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => Step(maximumFileSize: Size - 1).OpenAsync(job, CancellationToken.None).WaitAsync(Guard));

        Assert.Equal(MediaErrorReason.TooLarge, error.Reason);
        Assert.Contains($"127.0.0.1 announced {Size} bytes", error.Message);
        Assert.False(File.Exists(job.Partial.Path)); // the old partial is removed too
    }

    [Fact]
    public async Task AWholeFileOfATextTypeIsNotMediaAndNothingIsWritten()
    {
        var id = AddTask(new FaultSpec { Type = "html" });
        var job = Job(id);

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => Step().OpenAsync(job, CancellationToken.None).WaitAsync(Guard));

        Assert.Equal(MediaErrorReason.UnexpectedContent, error.Reason);
        Assert.Contains("answered a text/html document, not a video file", error.Message);
        Assert.Empty(Directory.GetFiles(_root));
    }

    [Fact]
    public async Task MarkupUnderAMediaTypeIsFoundAtByteZeroAndThePartialRemoved()
    {
        var id = AddTask(new FaultSpec { Type = "html", ContentType = "video/mp4" });
        var job = Job(id);
        var step = Step();

        using var answer = await step.OpenAsync(job, CancellationToken.None).WaitAsync(Guard);
        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => step.CopyAsync(job, answer, CancellationToken.None).WaitAsync(Guard));

        Assert.Equal(MediaErrorReason.UnexpectedContent, error.Reason);
        Assert.Empty(Directory.GetFiles(_root));
    }

    [Theory]
    [InlineData(404, MediaErrorReason.LinkExpired, false)]
    [InlineData(503, MediaErrorReason.DownloadFailed, true)]
    [InlineData(400, MediaErrorReason.DownloadFailed, false)]
    public async Task AnyOtherStatusIsJudgedByItsStatusAndKeepsThePartial(int status, MediaErrorReason reason, bool transient)
    {
        var id = AddTask(new FaultSpec { Type = "status", Status = status });
        var job = Job(id);
        Partial(job, 100_000, new PartialRecord(ETag(id), "video/mp4", Size));

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => Step().OpenAsync(job, CancellationToken.None).WaitAsync(Guard));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(transient, error.IsTransient);
        Assert.Equal(100_000, new FileInfo(job.Partial.Path).Length);
    }
}
