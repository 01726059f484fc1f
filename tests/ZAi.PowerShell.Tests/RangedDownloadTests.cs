using System.Security.Cryptography;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// Ranged downloads over real loopback HTTP: one file over several connections, every fallback to one connection,
/// and resume per range. Every saved file is checked against the emulator's bytes by SHA-256. Time is virtual
/// (retry waits, the probe, re-split checks and the watchdog run on a <see cref="ManualClock"/>), and the class has
/// its own media client: no pooled connection is shared with another test class.
/// </summary>
public sealed class RangedDownloadTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const long Size = 8L * 1024 * 1024;
    private const long Quarter = Size / 4;
    private const string Video = "video_0.mp4";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly EmulatorServer _server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-ranged-" + Guid.NewGuid().ToString("N"));
    private readonly string _folder;
    private readonly CollectingLog _log = new();
    private readonly HostConnections _hosts = new();
    private readonly ManualClock _clock = new();
    private readonly HttpClient _client = MediaHttpClient.Create(ProxyRoute.Direct);

    public RangedDownloadTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
        _server.ConfigureMedia(new MediaHostConfig { BytesPerSecond = 0, LatencyMs = 0, Ranges = true });
        _folder = Path.Combine(_root, "out");
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.ConfigureMedia(new MediaHostConfig { BytesPerSecond = 0, LatencyMs = 0, Ranges = true });
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string AddTask(long size = Size, params FaultSpec[] faults)
    {
        var spec = new TaskSpec
        {
            Id = EmulatorFixture.NewId("ranged"),
            Kind = "video",
            MediaSize = size,
            MediaFaults = new Dictionary<string, List<FaultSpec>> { [Video] = faults.ToList() },
        };
        _server.AddTasks(spec);
        return spec.Id;
    }

    private MediaItem Item(string id) =>
        new(id, MediaKind.Video, 0, new Uri(_server.RootUrl, "media/" + Uri.EscapeDataString(id) + "/" + Video).ToString(), null);

    /// <summary>
    /// Without a probe (<paramref name="probe"/> zero) a file that may be split always is, however fast loopback is.
    /// Slow ranges are not taken over unless <paramref name="resplit"/>: the ranges asked are the plan's, however busy
    /// the machine is.
    /// </summary>
    private FileDownloader Downloader(int connections = 4, long threshold = 2 * 1024 * 1024, int maxRetries = 3, int perHost = 16, TimeSpan? probe = null, bool resplit = false) =>
        new(_client, new RetryPolicy(maxRetries), TimeSpan.FromSeconds(10), _log, clock: _clock,
            tuning: new DownloadTuning(connections, threshold, perHost, probe ?? TimeSpan.Zero, resplit ? null : Timeout.InfiniteTimeSpan), hosts: _hosts);

    /// <summary>Downloads with each retry's wait run out in virtual time at once.</summary>
    private async Task<string> DownloadAsync(MediaItem item, FileDownloader downloader, DownloadProgress? progress = null) =>
        await _clock.RunDelays(downloader.DownloadAsync(item, _folder, progress ?? new DownloadProgress(item.BaseName), CancellationToken.None)).WaitAsync(Guard);

    /// <summary>The shortest first retry wait: the 0.5 s backoff less its jitter (up to a quarter).</summary>
    private static readonly TimeSpan FirstRetryLow = TimeSpan.FromSeconds(RetryPolicy.BaseDelay.TotalSeconds * 0.75);

    /// <summary>Media requests of a task in arrival order, once the emulator has logged all of them.</summary>
    private IReadOnlyList<RequestLogEntry> Requests(string id)
    {
        var expected = _server.GetTask(id)!.MediaRequestCount;
        Assert.True(SpinWait.SpinUntil(() => _server.GetRequests(id, "/media/").Count >= expected, Guard), "The emulator did not log every media request.");
        return _server.GetRequests(id, "/media/").OrderBy(r => r.Timestamp).ToList();
    }

    private static string? Range(RequestLogEntry entry) => entry.Headers.TryGetValue("Range", out var value) ? value : null;

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private void AssertExact(string path, string contentId, long size = Size)
    {
        Assert.Equal(size, new FileInfo(path).Length);
        Assert.Equal(GeneratedContent.Sha256(contentId, Video, size), Sha256(path));
    }

    private string[] FilesInFolder() => Directory.GetFiles(_folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    private static FaultSpec Normal() => new() { Type = "slow", DelayMs = 0 };

    private static string RangeOf(int quarter, long skip = 0) => $"bytes={(quarter * Quarter) + skip}-{((quarter + 1) * Quarter) - 1}";

    [Fact]
    public async Task ALargeFileComesOverFourConnectionsByteForByte()
    {
        var id = AddTask();
        var progress = new DownloadProgress("x");

        var path = await DownloadAsync(Item(id), Downloader(), progress);

        AssertExact(path, id);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        var requests = Requests(id);
        Assert.Equal(4, requests.Count);
        Assert.Null(Range(requests[0]));
        Assert.Equal(new[] { RangeOf(1), RangeOf(2), RangeOf(3) }, requests.Skip(1).Select(Range).OrderBy(r => r, StringComparer.Ordinal));
        Assert.All(requests.Skip(1), r => Assert.Equal(GeneratedContent.ETag(id, Video, Size), r.Headers["If-Range"]));
        Assert.All(requests.Skip(1), r => Assert.Equal(206, r.Status));
        Assert.Equal(Size, progress.Bytes);
        Assert.Equal(Size, progress.Total);
        Assert.Equal(Size, progress.Received);
        Assert.Equal(0, _hosts.Open(new Uri(Item(id).Url!)));
        Assert.Contains(_log.VerboseMessages, m => m.Contains("over 4 connection(s): 4 of 4 ranges of 8388608 bytes to go", StringComparison.Ordinal));
        Assert.Empty(_clock.Requested);
    }

    [Fact]
    public async Task AFileBelowTheThresholdComesOverOneConnection()
    {
        var id = AddTask(size: (2 * 1024 * 1024) - 1);

        var path = await DownloadAsync(Item(id), Downloader());

        AssertExact(path, id, (2 * 1024 * 1024) - 1);
        Assert.Single(Requests(id));
    }

    [Fact]
    public async Task OneConnectionPerFileNeverSplits()
    {
        var id = AddTask();

        var path = await DownloadAsync(Item(id), Downloader(connections: 1));

        AssertExact(path, id);
        Assert.Single(Requests(id));
    }

    [Fact]
    public async Task AHostWithoutRangesGivesTheExactFileOverOneConnection()
    {
        _server.ConfigureMedia(new MediaHostConfig { Ranges = false });
        var id = AddTask();

        var path = await DownloadAsync(Item(id), Downloader());

        AssertExact(path, id);
        var request = Assert.Single(Requests(id));
        Assert.Null(Range(request));
        Assert.Equal(200, request.Status);
    }

    [Theory]
    [InlineData("noRange")]             // 200 with the whole file for a range request
    [InlineData("wrongRange")]          // 206 for bytes further on than asked
    [InlineData("foreignRange")]        // 206 of another, longer file with the same ETag
    [InlineData("rangeNotSatisfiable")] // 416
    public async Task AWrongAnswerToARangeFallsBackToOneConnectionWithNoWrongBytePromoted(string fault)
    {
        var id = AddTask(Size, Normal(), new FaultSpec { Type = fault, AfterBytes = 4096 });

        var path = await DownloadAsync(Item(id), Downloader());

        AssertExact(path, id);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        var requests = Requests(id);
        // The fallback fetched the whole file again (a cancelled sibling's range request may still reach the host after it).
        Assert.Contains(requests.Skip(1), r => Range(r) is null);
        Assert.Contains(_log.VerboseMessages, m => m.Contains("again over one connection", StringComparison.Ordinal));
        Assert.Empty(_clock.Requested); // not a failure: the fallback does not wait
    }

    [Fact]
    public async Task ARefusedRangeFallsBackEvenWhenTheStoppedFirstAnswerFailsItsReadWithACrash()
    {
        // The first answer's body gives one read, then holds until the stop disposes it, and fails that read as .NET
        // may fail a read under a disposed answer: with a NullReferenceException. Every range answer is a 200.
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "noRange" }, new FaultSpec { Type = "noRange" }, new FaultSpec { Type = "noRange" });
        using var client = new HttpClient(new FirstBodyFailsWhenDisposed(HttpHandlerFactory.Create(TimeSpan.FromSeconds(30), forMedia: true, proxy: ProxyRoute.Direct)))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var downloader = new FileDownloader(client, new RetryPolicy(3), TimeSpan.FromSeconds(10), _log, clock: _clock,
            tuning: new DownloadTuning(4, 2 * 1024 * 1024, 16, TimeSpan.Zero, Timeout.InfiniteTimeSpan), hosts: _hosts);

        var path = await DownloadAsync(Item(id), downloader);

        AssertExact(path, id);
        Assert.Contains(_log.VerboseMessages, m => m.Contains("again over one connection", StringComparison.Ordinal));
        Assert.Empty(_clock.Requested);
    }

    /// <summary>Wraps the body of the first answer through it (see the test above); every other answer passes as it is.</summary>
    private sealed class FirstBodyFailsWhenDisposed : DelegatingHandler
    {
        private readonly TaskCompletionSource<HeldAfterOneRead> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _answers;

        public FirstBodyFailsWhenDisposed(HttpMessageHandler inner) : base(inner) { }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _answers) != 1)
            {
                // The range answers come once the first answer's body is held in its second read.
                await _first.Task.ContinueWith(held => held.Result.SecondRead, TaskScheduler.Default).Unwrap();
                return response;
            }
            var body = new HeldAfterOneRead(await response.Content.ReadAsStreamAsync(cancellationToken));
            _first.SetResult(body);
            var content = new StreamContent(body);
            foreach (var header in response.Content.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = content;
            return response;
        }
    }

    private sealed class HeldAfterOneRead : Stream
    {
        private readonly Stream _inner;
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _secondRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public HeldAfterOneRead(Stream inner) => _inner = inner;

        /// <summary>Completes when the second read is held.</summary>
        public Task SecondRead => _secondRead.Task;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _reads) == 1) return await _inner.ReadAsync(buffer, cancellationToken);
            _secondRead.TrySetResult();
            await _disposed.Task;
#pragma warning disable CA2201 // what .NET's own stream throws under a disposed connection, on purpose
            throw new NullReferenceException("read under a disposed answer");
#pragma warning restore CA2201
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _disposed.TrySetResult();
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task AValidatorThatChangesMidDownloadGivesTheNewVersionWholeAndNoByteOfTheOld()
    {
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "newVersion" });

        var path = await DownloadAsync(Item(id), Downloader());

        AssertExact(path, id + "~v1");
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        Assert.Null(Range(Requests(id)[^1]));
    }

    [Fact]
    public async Task ACutRangeResumesWhereItStoppedAndTheOthersAreNotFetchedAgain()
    {
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "drop", AfterBytes = 100_000 });

        var path = await DownloadAsync(Item(id), Downloader());

        AssertExact(path, id);
        AssertOneRangeResumed(Requests(id));
        Assert.InRange(Assert.Single(_clock.Requested), FirstRetryLow, RetryPolicy.BaseDelay); // the first retry's backoff, once
    }

    /// <summary>
    /// The requests of a download where one range was cut part-way: the whole-file request once, each other quarter
    /// asked from its start once, and the cut quarter asked again only from inside it (where its bytes stopped: how
    /// many arrived before the cut is the server's and the machine's business, so it is not pinned here).
    /// </summary>
    private static void AssertOneRangeResumed(IReadOnlyList<RequestLogEntry> requests)
    {
        Assert.Single(requests, r => Range(r) is null);
        var quarters = new[] { RangeOf(1), RangeOf(2), RangeOf(3) };
        Assert.All(quarters, q => Assert.Single(requests, r => Range(r) == q));
        var resumed = requests.Select(Bounds).Where(b => b is { } r && r.First % Quarter != 0).Select(b => b!.Value).ToList();
        Assert.NotEmpty(resumed);
        Assert.All(resumed, r => Assert.Equal(0, (r.Last + 1) % Quarter));                      // to the end of its quarter
        Assert.Single(resumed.Select(r => r.First / Quarter).Distinct());                      // of the one cut quarter
        Assert.All(requests.Where(r => Range(r) != null), r => Assert.Equal(206, r.Status));
    }

    [Fact]
    public async Task AFailedRunKeepsItsRangesAndTheNextRunFetchesOnlyWhatIsMissing()
    {
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "drop", AfterBytes = 100_000 });

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(Item(id), Downloader(maxRetries: 0)));

        Assert.Equal(MediaErrorReason.LengthMismatch, error.Reason);
        Assert.Equal(new[] { id + ".partial", id + ".partial.ranges" }, FilesInFolder());
        var kept = RangeLedger.Parse(File.ReadAllText(Path.Combine(_folder, id + ".partial.ranges")))!;
        Assert.Contains($"the partial file ({kept.DoneBytes} bytes) is kept", error.Message);
        var missing = kept.Snapshot().Where(r => !r.Complete).ToList();
        Assert.Equal(3, kept.Snapshot().Count(r => r.Complete)); // the three ranges that were not cut
        var rerun = DateTimeOffset.UtcNow;

        var path = await DownloadAsync(Item(id), Downloader());

        AssertExact(path, id);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        var again = Requests(id).Where(r => r.Timestamp >= rerun).ToList();
        AssertOnlyMissingFetched(again, missing);
        Assert.All(again, r => Assert.Equal(GeneratedContent.ETag(id, Video, Size), r.Headers["If-Range"]));
    }

    /// <summary>A re-run asked only for bytes the ledger did not hold, and for the first missing byte of every incomplete range.</summary>
    private static void AssertOnlyMissingFetched(IReadOnlyList<RequestLogEntry> requests, IReadOnlyList<ByteRange> missing)
    {
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.NotNull(Range(r)));
        Assert.All(requests.Select(Bounds), b => Assert.Contains(missing, m => b!.Value.First >= m.Start + m.Done && b.Value.Last <= m.End));
        Assert.All(missing, m => Assert.Contains(requests.Select(Bounds), b => b!.Value.First == m.Start + m.Done));
    }

    [Fact]
    public async Task ARangeLedgerOfAnotherVersionIsNeverTrusted()
    {
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "drop", AfterBytes = 100_000 });
        await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(Item(id), Downloader(maxRetries: 0)));
        // The object changes on the host between the runs: the resumed range's If-Range no longer matches.
        _server.AddTasks(new TaskSpec { Id = id, Kind = "video", MediaSize = Size, MediaFaults = new() { [Video] = new() { new FaultSpec { Type = "newVersion" } } } });

        var path = await DownloadAsync(Item(id), Downloader());

        AssertExact(path, id + "~v1");
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
    }

    [Fact]
    public async Task TheBytesOfTheLastCutRangeAreRecordedWhenTheAttemptEnds()
    {
        // No other connection is allowed, so the first answer goes on through the ranges; it is cut 100 000 bytes into
        // the third. The clock stands still, so no periodic checkpoint runs: only the save at the end of the attempt
        // can record those bytes.
        var id = AddTask(Size, new FaultSpec { Type = "drop", AfterBytes = (2 * Quarter) + 100_000 });
        var uri = new Uri(Item(id).Url!);
        _hosts.Acquire(uri);
        try
        {
            var error = await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(Item(id), Downloader(maxRetries: 0, perHost: 1)));

            Assert.Contains($"the partial file ({(2 * Quarter) + 100_000} bytes) is kept", error.Message);
            Assert.Null(Range(Assert.Single(Requests(id))));
        }
        finally
        {
            _hosts.Release(uri);
        }
    }

    [Fact]
    public async Task OnAFastLinkTheFirstConnectionTakesTheWholeFile()
    {
        var id = AddTask();

        // The probe is never run out: the whole file comes before any virtual time passes.
        var path = await Downloader(probe: TimeSpan.FromSeconds(2)).DownloadAsync(Item(id), _folder, new DownloadProgress(id), CancellationToken.None).WaitAsync(Guard);

        AssertExact(path, id);
        Assert.Null(Range(Assert.Single(Requests(id))));
        Assert.Contains(_log.VerboseMessages, m => m.Contains("over one connection: it came whole within 0.0", StringComparison.Ordinal));
        Assert.Equal(new[] { TimeSpan.FromSeconds(2) }, _clock.Requested);
        Assert.Equal(TimeSpan.Zero, _clock.Elapsed);
    }

    [Fact]
    public async Task AFirstConnectionThatBreaksDuringTheProbeIsNotCalledFastEnough()
    {
        var id = AddTask(Size, new FaultSpec { Type = "drop", AfterBytes = 300_000 });
        var download = Downloader(probe: TimeSpan.FromSeconds(5)).DownloadAsync(Item(id), _folder, new DownloadProgress(id), CancellationToken.None);
        // Virtual time stands still until the break is judged; then the retry of the broken range is run out.
        Assert.True(SpinWait.SpinUntil(() => download.IsCompleted || _log.VerboseMessages.Any(m => m.Contains("before its rate was known", StringComparison.Ordinal)), Guard), "The break was never judged.");

        var path = await _clock.RunDelays(download).WaitAsync(Guard);

        AssertExact(path, id);
        Assert.DoesNotContain(_log.VerboseMessages, m => m.Contains("over one connection", StringComparison.Ordinal));
        Assert.Contains(_log.VerboseMessages, m => m.Contains("The first connection to 127.0.0.1 for the", StringComparison.Ordinal)
            && m.Contains(" bytes, before its rate was known; the other ranges come over further connections.", StringComparison.Ordinal));
        // Those ranges were asked at once, not after the five-second probe: it never ran out, only the retry's wait did.
        Assert.All(new[] { RangeOf(1), RangeOf(2), RangeOf(3) }, q => Assert.Contains(Requests(id), r => Range(r) == q));
        Assert.Equal(TimeSpan.FromSeconds(5), _clock.Requested[0]);
        Assert.InRange(Assert.Single(_clock.Requested.Skip(1)), FirstRetryLow, RetryPolicy.BaseDelay);
        Assert.Equal(_clock.Requested[1], _clock.Elapsed);
    }

    [Fact]
    public async Task OnASlowLinkTheOtherConnectionsOpenAfterTheProbe()
    {
        // The first answer sends 1 MiB and holds: over the 0.2 s probe (virtual) that is at most 5 MiB/s, and the
        // 7 MiB left would take longer than a second, so the three other quarters are asked.
        var id = AddTask(Size, new FaultSpec { Type = "stall", AfterBytes = 1024 * 1024 });
        var progress = new DownloadProgress(id);
        try
        {
            var download = Downloader(probe: TimeSpan.FromSeconds(0.2)).DownloadAsync(Item(id), _folder, progress, CancellationToken.None);
            Assert.True(SpinWait.SpinUntil(() => progress.Received == 1024 * 1024 || download.IsCompleted, Guard), "The first mebibyte never arrived.");
            await _clock.WhenPending(1);
            Assert.False(download.IsCompleted);

            _clock.Advance(TimeSpan.FromSeconds(0.2));
            Assert.True(SpinWait.SpinUntil(() => _server.GetTask(id)!.MediaRequestCount == 4 || download.IsCompleted, Guard), "The other quarters were never asked.");
            _server.ReleaseMedia(id);
            var path = await download.WaitAsync(Guard);

            AssertExact(path, id);
            var requests = Requests(id);
            Assert.Equal(4, requests.Count);
            Assert.Null(Range(requests[0]));
            Assert.Equal(new[] { RangeOf(1), RangeOf(2), RangeOf(3) }, requests.Skip(1).Select(Range).OrderBy(r => r, StringComparer.Ordinal));
            Assert.Contains(_log.VerboseMessages, m => m.Contains("over 4 connection(s): 4 of 4 ranges of 8388608 bytes to go", StringComparison.Ordinal));
            Assert.Equal(new[] { TimeSpan.FromSeconds(0.2) }, _clock.Requested);
        }
        finally
        {
            _server.ReleaseMedia(id);
        }
    }

    [Fact]
    public async Task WithNoConnectionLeftForTheHostTheFirstAnswerServesEveryRange()
    {
        var id = AddTask();
        _hosts.Acquire(new Uri(Item(id).Url!)); // another file holds the only connection the limit allows
        try
        {
            var path = await DownloadAsync(Item(id), Downloader(perHost: 1));

            AssertExact(path, id);
            Assert.Null(Range(Assert.Single(Requests(id))));
            Assert.Equal(1, _hosts.Open(new Uri(Item(id).Url!)));
        }
        finally
        {
            _hosts.Release(new Uri(Item(id).Url!));
        }
    }

    /// <summary>
    /// Moves virtual time one re-split check at a time, and only while the three connections that finished their
    /// ranges are all parked on their checks (so no read in progress ages in virtual time), until one of them takes
    /// over the stuck range; the rest of the download then needs no more time.
    /// </summary>
    private async Task<string> UntilTakenOverAsync(Task<string> download)
    {
        var check = TimeSpan.FromTicks(DownloadTuning.DefaultResplitAfter.Ticks / 4);
        bool TakenOver() => _log.VerboseMessages.Any(m => m.Contains("takes over bytes", StringComparison.Ordinal));
        while (true)
        {
            Assert.True(SpinWait.SpinUntil(() => TakenOver() || download.IsCompleted || _clock.PendingDelays >= 3, Guard), "The idle connections never parked.");
            if (TakenOver() || download.IsCompleted) break;
            _clock.Advance(check);
        }
        return await download.WaitAsync(Guard);
    }

    [Fact]
    public async Task IdleConnectionsTakeOverTheRestOfARangeStuckOnASlowConnection()
    {
        // The second connection to reach the host (one of the three range requests) gets 32 KiB/s: alone, its 2 MiB
        // quarter would take a minute; the others are unpaced. The guard is the upper bound on the whole file.
        _server.ConfigureMedia(new MediaHostConfig { SlowConnection = 2, SlowBytesPerSecond = 32 * 1024 });
        var id = AddTask();
        var progress = new DownloadProgress(id);
        var download = Downloader(resplit: true).DownloadAsync(Item(id), _folder, progress, CancellationToken.None);
        // No range is judged before virtual time moves: it moves once the slow connection has shown a rate.
        Assert.True(SpinWait.SpinUntil(() => progress.Received > 3 * Quarter || download.IsCompleted, Guard), "Three quarters never arrived.");

        var path = await UntilTakenOverAsync(download);

        AssertExact(path, id);
        Assert.Equal(new[] { id + ".mp4" }, FilesInFolder());
        Assert.Contains(_log.VerboseMessages, m => m.Contains("takes over bytes", StringComparison.Ordinal) && m.Contains("would take", StringComparison.Ordinal));
        Assert.Equal(DownloadTuning.DefaultResplitAfter, _clock.Elapsed); // judged once it had been watched half a second
        // The part taken over was asked on its own: from inside a quarter to that quarter's end.
        Assert.Contains(Requests(id).Select(Bounds), b => b is { } r && r.First % Quarter != 0 && (r.Last + 1) % Quarter == 0);
    }

    [Fact]
    public async Task AConnectionThatGetsNothingIsStoppedAndItsRangeTakenOverBeforeTheReadTimeout()
    {
        // One range request sends headers and then nothing: without a takeover the file would wait for the read
        // timeout (10 s) and a retry.
        var id = AddTask(Size, Normal(), new FaultSpec { Type = "stall", AfterBytes = 0 });
        try
        {
            var path = await UntilTakenOverAsync(Downloader(resplit: true).DownloadAsync(Item(id), _folder, new DownloadProgress(id), CancellationToken.None));

            AssertExact(path, id);
            Assert.Contains(_log.VerboseMessages, m => m.Contains("takes over bytes", StringComparison.Ordinal) && m.Contains("has received nothing", StringComparison.Ordinal));
            Assert.DoesNotContain(_log.VerboseMessages, m => m.Contains("Resuming from byte", StringComparison.Ordinal)); // no failed attempt
            // Taken over at the first re-split check after half a second of nothing, far inside the 10 s read timeout.
            Assert.Equal(DownloadTuning.DefaultResplitAfter, _clock.Elapsed);
        }
        finally
        {
            _server.ReleaseMedia(id);
        }
    }

    [Fact]
    public async Task AStopMidRangesEndsEveryConnectionPromptlyAndKeepsTheRangesForTheNextRun()
    {
        // Four connections paced to take seconds; the stop comes while all of them are reading. Real time is used for
        // the one thing it must show: the stop is prompt (an upper bound).
        _server.ConfigureMedia(new MediaHostConfig { BytesPerSecond = 256 * 1024 });
        var id = AddTask();
        var uri = new Uri(Item(id).Url!);
        var progress = new DownloadProgress(id);
        using var stop = new CancellationTokenSource();
        var download = Downloader().DownloadAsync(Item(id), _folder, progress, stop.Token);
        Assert.True(SpinWait.SpinUntil(() => (_server.GetTask(id)!.MediaRequestCount == 4 && progress.Received > 0) || download.IsCompleted, Guard), "The four connections never got going.");
        Assert.False(download.IsCompleted);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download.WaitAsync(Guard));
        stopping.Stop();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3), $"The stop took {stopping.Elapsed}.");
        Assert.Equal(new[] { id + ".partial", id + ".partial.ranges" }, FilesInFolder());
        var kept = RangeLedger.Parse(File.ReadAllText(Path.Combine(_folder, id + ".partial.ranges")))!;
        Assert.Equal(4, kept.Count);
        Assert.False(kept.Complete);
        Assert.Equal(0, _hosts.Open(uri));
        Assert.Empty(_clock.Requested); // a stop is not retried
    }

    private static (long First, long Last)? Bounds(RequestLogEntry entry)
    {
        if (Range(entry) is not { } range) return null;
        var dash = range.IndexOf('-');
        return (long.Parse(range[6..dash], System.Globalization.CultureInfo.InvariantCulture), long.Parse(range[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
