using System.Security.Cryptography;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Transfer;

/// <summary>
/// The copy of one response body into a partial file, over real loopback HTTP to the emulator: how many bytes it
/// takes, where it writes them, what it refuses, and its watchdog on a <see cref="ManualClock"/>.
/// </summary>
public sealed class BodyCopierTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const long Size = 300_000;
    private const string Video = EmulatorVideo.File;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly EmulatorServer _server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-copier-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private readonly HttpClient _client = MediaHttpClient.Create(ProxyRoute.Direct);

    public BodyCopierTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private DownloadJob Job(params FaultSpec[] faults) => EmulatorVideo.Job(_server, EmulatorVideo.Add(_server, "copier", Size, faults), _root);

    private BodyCopier Copier(long maximumFileSize = DownloadLimits.DefaultMaximumFileSize) => new(_clock, ReadTimeout, new DownloadLimits(maximumFileSize));

    private Task<HttpResponseMessage> GetAsync(DownloadJob job, string? range = null) =>
        new MediaRequestSender(_client).SendAsync(job.Item, job.Uri, range is null ? null : r => r.Headers.TryAddWithoutValidation("Range", range), CancellationToken.None).WaitAsync(Guard);

    /// <summary>Opens the answer's body and copies it into the partial file.</summary>
    private async Task<long> CopyAsync(BodyCopier copier, DownloadJob job, HttpResponseMessage response, PartialWriter writer, long offset, long? expected, Action<long>? written = null, Func<long, long>? allow = null)
    {
        using var body = await response.Content.ReadAsStreamAsync();
        return await copier.CopyAsync(job, response, body, writer, offset, expected, written, CancellationToken.None, allow).WaitAsync(Guard);
    }

    /// <summary>Copies the job's answer from byte 0 into a new partial file; the error the copy fails with, and the bytes it wrote.</summary>
    private async Task<(ZAiMediaException Error, long Written)> FailsAsync(DownloadJob job, long? expected, long maximumFileSize = DownloadLimits.DefaultMaximumFileSize)
    {
        using var response = await GetAsync(job);
        using var writer = PartialWriter.Create(job.Partial.Path);
        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => CopyAsync(Copier(maximumFileSize), job, response, writer, 0, expected));
        return (error, writer.Length);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [Fact]
    public async Task TheRestOfAFileIsWrittenAfterItsOffsetAndEveryByteIsCounted()
    {
        var job = Job();
        var id = job.Item.TaskId;
        File.WriteAllBytes(job.Partial.Path, EmulatorVideo.Bytes(id, 0, 100_000));
        using var response = await GetAsync(job, "bytes=100000-");
        var told = new List<long>();

        long copied;
        using (var writer = PartialWriter.Open(job.Partial.Path, keep: 100_000))
        {
            copied = await CopyAsync(Copier(), job, response, writer, 100_000, Size - 100_000, told.Add);
        }

        Assert.Equal(Size - 100_000, copied);
        Assert.Equal(Size - 100_000, told.Sum());
        Assert.Equal(Size - 100_000, job.Run.Received);
        Assert.Equal(Size - 100_000, job.Progress.Received);
        Assert.Equal(GeneratedContent.Sha256(id, Video, Size), Sha256(job.Partial.Path));
    }

    [Fact]
    public async Task WithNoExpectedLengthTheBodyIsTakenAsSent()
    {
        var job = Job();
        var id = job.Item.TaskId;
        using var response = await GetAsync(job);

        using (var writer = PartialWriter.Create(job.Partial.Path))
        {
            Assert.Equal(Size, await CopyAsync(Copier(), job, response, writer, 0, null));
        }

        Assert.Equal(GeneratedContent.Sha256(id, Video, Size), Sha256(job.Partial.Path));
    }

    [Fact]
    public async Task ABodyThatEndsBeforeTheExpectedBytesIsALengthMismatch()
    {
        var job = Job();

        var (error, _) = await FailsAsync(job, Size + 1_000);

        Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
        Assert.True(error.IsTransient);
        Assert.Equal($"The video 0 of task '{job.Item.TaskId}' is {Size} bytes but 127.0.0.1 announced {Size + 1_000}.", error.Message);
    }

    [Fact]
    public async Task AReadCutShortByAnotherConnectionEndsTheCopyThereAsComplete()
    {
        // A ranged download's connection whose range was partly taken over: only the bytes still its own are written.
        var job = Job();
        var id = job.Item.TaskId;
        using var response = await GetAsync(job);
        long left = 150_000;
        long Allow(long read)
        {
            var allowed = Math.Min(read, left);
            left -= allowed;
            return allowed;
        }

        long copied;
        using (var writer = PartialWriter.Create(job.Partial.Path, Size))
        {
            copied = await CopyAsync(Copier(), job, response, writer, 0, Size, allow: Allow);
        }

        Assert.Equal(150_000, copied);
        Assert.Equal(150_000, job.Run.Received);
        Assert.Equal(EmulatorVideo.Bytes(id, 0, 150_000), File.ReadAllBytes(job.Partial.Path).Take(150_000).ToArray());
        Assert.All(File.ReadAllBytes(job.Partial.Path).Skip(150_000), b => Assert.Equal(0, b)); // nothing past its part
    }

    [Fact]
    public async Task MarkupAtTheFilesFirstByteIsNotMedia()
    {
        var (error, written) = await FailsAsync(Job(new FaultSpec { Type = "html", ContentType = "video/mp4" }), null);

        Assert.Equal(MediaErrorReason.UnexpectedContent, error.Reason);
        Assert.Equal(0, written);
    }

    [Fact]
    public async Task TheSameBytesFurtherIntoTheFileAreOnlyBytes()
    {
        // Only byte 0 of a file is judged: a range from inside a video may hold anything.
        var job = Job(new FaultSpec { Type = "html", ContentType = "video/mp4" });
        using var response = await GetAsync(job);
        var length = response.Content.Headers.ContentLength!.Value;

        using (var writer = PartialWriter.Create(job.Partial.Path))
        {
            Assert.Equal(length, await CopyAsync(Copier(), job, response, writer, 10, length));
        }

        Assert.Equal(10 + length, new FileInfo(job.Partial.Path).Length);
    }

    [Fact]
    public async Task ABodyGrowingPastTheMaximumIsStoppedBeforeTheBytesOverIt()
    {
        var (error, written) = await FailsAsync(Job(), null, maximumFileSize: 100_000);

        Assert.Equal(MediaErrorReason.TooLarge, error.Reason);
        Assert.Contains("(100000 bytes): the body is larger", error.Message);
        Assert.True(written <= 100_000, $"{written} bytes were written.");
    }

    [Fact]
    public async Task AnIdleBodyIsAbandonedOnceTheReadTimeoutHasPassedInVirtualTime()
    {
        var job = Job(new FaultSpec { Type = "stall", AfterBytes = 1_000 });
        var id = job.Item.TaskId;
        try
        {
            using var response = await GetAsync(job);
            using var writer = PartialWriter.Create(job.Partial.Path);
            var copy = CopyAsync(Copier(), job, response, writer, 0, Size);
            Assert.True(SpinWait.SpinUntil(() => job.Run.Received == 1_000 || copy.IsCompleted, Guard), "The first bytes never arrived.");
            Assert.False(copy.IsCompleted);

            _clock.Advance(ReadTimeout + TimeSpan.FromSeconds(1));

            var error = await Assert.ThrowsAsync<ZAiMediaException>(() => copy);
            Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
            Assert.Contains($"ended after 1000 of {Size} bytes", error.Message);
        }
        finally
        {
            _server.ReleaseMedia(id);
        }
    }
    [Fact]
    public async Task AReadThatFailsInAnyWayAfterTheWatchdogGaveUpIsTheShortBodyNotACrash()
    {
        // .NET may throw a NullReferenceException from a read whose response the watchdog disposed under it.
        var job = Job();
        var id = job.Item.TaskId;
        using var response = await GetAsync(job);
        using var writer = PartialWriter.Create(job.Partial.Path);
        using var body = new StallThenBreak(EmulatorVideo.Bytes(id, 0, 1_000));
        var copy = Copier().CopyAsync(job, response, body, writer, 0, Size, null, CancellationToken.None);
        Assert.True(await body.Stalled.WaitAsync(Guard), "The second read never started.");

        _clock.Advance(ReadTimeout + TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => copy.WaitAsync(Guard));
        Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
        Assert.Contains($"ended after 1000 of {Size} bytes", error.Message);
    }

    /// <summary>Gives its bytes in one read, then holds the next read until it is cancelled and fails it with a NullReferenceException.</summary>
    private sealed class StallThenBreak : MemoryStream
    {
        private readonly TaskCompletionSource<bool> _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _given;

        public StallThenBreak(byte[] bytes) : base(bytes) { }

        public Task<bool> Stalled => _stalled.Task;

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (!_given)
            {
                _given = true;
                return await base.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
            }
            _stalled.TrySetResult(true);
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
#pragma warning disable CA2201 // what .NET throws from a read of a disposed response, which is the point
            throw new NullReferenceException();
#pragma warning restore CA2201
        }
    }
}
