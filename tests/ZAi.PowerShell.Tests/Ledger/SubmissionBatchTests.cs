using ZAi.PowerShell.Models;
using ZAi.PowerShell.Journal;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>
/// The submission layer as one object, over real loopback HTTP to the emulator and real journal files: what
/// is sent, what the journal records, and what a stop, a full disk or a lost answer do.
/// </summary>
[Collection("SubmissionBatch")]
public sealed class SubmissionBatchTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-batch-" + Guid.NewGuid().ToString("N"));

    public SubmissionBatchTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.ConfigureSubmissions(new TaskSpec(), Array.Empty<FaultSpec>());
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        _server.ConfigureSubmissions(new TaskSpec(), Array.Empty<FaultSpec>());
        Directory.Delete(_folder, recursive: true);
    }

    private string NewJournal() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");

    private static GenerationRequest Video(string prompt) => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt + " " + Guid.NewGuid().ToString("N") });

    private SubmissionClient Client(int maxRetries = 0)
    {
        var sender = new ApiRequestSender(_fixture.Settings(maxRetries), new CollectingLog());
        return new SubmissionClient(sender, new RateLimitGate(), new CollectingLog(), new SubmissionCapacity());
    }

    private SubmissionBatch Batch(string journal, bool retryFailed = false, Func<string, Stream>? open = null, int maxRetries = 0, ManualClock? clock = null)
    {
        var batch = new SubmissionBatch(JournalFile.ReadOnly(journal), view => SharedJournals.Open(journal, open, view), retryFailed, clock);
        var account = new AccountState();
        var sender = new ApiRequestSender(_fixture.Settings(maxRetries), new CollectingLog());
        batch.Connect(new SubmissionClient(sender, new RateLimitGate(), new CollectingLog(), account.Capacity), account.Capacity, new RunningTaskWatcher(account, new AsyncResultClient(sender, account).GetAsync, new CollectingLog()));
        return batch;
    }

    private int Received(GenerationRequest request) =>
        _server.GetRequests(pathContains: "/generations").Count(e => e.Body?.Contains(request.Prompt!, StringComparison.Ordinal) == true);

    private static JournalFile Read(string journal) => JournalFile.ReadOnly(journal);

    [Fact]
    public async Task JournalLinesAndResultsCarryTheTimeOfTheInjectedClock()
    {
        var journal = NewJournal();
        var clock = new ManualClock(new DateTime(2031, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc));
        SubmissionBatch Batch()
        {
            var batch = new SubmissionBatch(JournalFile.ReadOnly(journal), view => SharedJournals.Open(journal, null, view), clock: clock);
            var account = new AccountState();
            var sender = new ApiRequestSender(_fixture.Settings(0), new CollectingLog(), clock: clock);
            batch.Connect(new SubmissionClient(sender, new RateLimitGate(), new CollectingLog(), account.Capacity), account.Capacity, new RunningTaskWatcher(account, new AsyncResultClient(sender, account).GetAsync, new CollectingLog()));
            return batch;
        }
        var request = Video("stamped");

        AsyncResult sent;
        using (var first = Batch()) sent = await first.SubmitAsync(first.Commit(first.Plan(request)), CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(2));
        AsyncResult adopted;
        using (var again = Batch())
        {
            var plan = again.Commit(again.Plan(request));
            Assert.Equal(PlanAction.Adopt, plan.Action);
            adopted = await again.SubmitAsync(plan, CancellationToken.None);
        }

        var times = File.ReadAllLines(journal).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("time").GetString()).ToList();
        Assert.Equal(new[] { "2031-02-03T04:05:06.789Z", "2031-02-03T04:05:06.789Z" }, times);
        Assert.Equal(clock.StartUtc, sent.RetrievedAt);
        Assert.Equal(clock.StartUtc.AddHours(2), adopted.RetrievedAt);
        Assert.Equal(sent.Id, adopted.Id);
    }

    [Fact]
    public async Task AStopWhileARequestIsSentLetsItsAnswerBeRecordedAndSendsNothingNew()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "slow", DelayMs = 400 } });
        var journal = NewJournal();
        var batch = Batch(journal);
        // A generous grace, so a loaded machine cannot make the send outlast it; the default (1 s) is held to Ctrl+C's 2 s in Pester.
        batch.StopGrace = TimeSpan.FromSeconds(10);
        using var stop = new CancellationTokenSource();
        var sent = Video("in flight at the stop");
        var plan = batch.Commit(batch.Plan(sent));
        var submission = batch.SubmitAsync(plan, stop.Token);
        while (Received(sent) == 0) await Task.Yield();

        stop.Cancel();
        var later = Video("after the stop");
        var afterStop = batch.SubmitAsync(batch.Commit(batch.Plan(later)), stop.Token);
        var started = DateTime.UtcNow;
        await Task.Run(batch.Dispose).WaitAsync(Guard);

        Assert.True(DateTime.UtcNow - started < batch.StopGrace);
        var result = await submission.WaitAsync(Guard);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => afterStop);
        Assert.Equal(0, Received(later));
        using var read = Read(journal);
        var entry = read.Find(sent.Fingerprint(), 1)!;
        Assert.Equal(LedgerState.Submitted, entry.State);
        Assert.Equal(result.Id, entry.TaskId);
        Assert.False(File.Exists(journal + ".lock"));
    }

    [Fact]
    public async Task ARequestWhoseIntentCannotBeWrittenIsNotSent()
    {
        var journal = NewJournal();
        var batch = Batch(journal, open: p => new FailingStream(p, 0));
        var request = Video("no room for the intent");

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => batch.SubmitAsync(batch.Commit(batch.Plan(request, "Row 4 of the input (prompt 'x'): ")), CancellationToken.None));
        batch.Dispose();

        Assert.Equal(ZAiErrorReason.JournalWriteFailed, error.Reason);
        Assert.StartsWith("Not submitted: the journal '" + journal + "' could not record the request before it was sent (No space left on device).", error.Message);
        Assert.Equal(0, Received(request));
    }

    [Fact]
    public async Task ATaskAcceptedWhenTheDiskIsFullGoesOnAndItsIdIsInTheError()
    {
        var journal = NewJournal();
        var request = Video("the accepted line does not fit");
        var intentBytes = JournalRecord.Submit(request, 1, DateTime.UtcNow).ToLine().Length;
        FailingStream? disk = null;
        var batch = Batch(journal, open: p => disk = new FailingStream(p, intentBytes + 5));
        var failures = new List<(ZAiApiException Error, SubmissionPlan Plan)>();
        batch.JournalFailed = (e, p) => failures.Add((e, p));

        var result = await batch.SubmitAsync(batch.Commit(batch.Plan(request)), CancellationToken.None).WaitAsync(Guard);

        var (error, _) = Assert.Single(failures);
        Assert.Equal(ZAiErrorReason.JournalWriteFailed, error.Reason);
        Assert.Contains("Task '" + result.Id + "' was created (request id '" + request.RequestId + "')", error.Message);
        // Room again: the line that waited is written at close, so a re-run does not pay for the task twice.
        disk!.Room = long.MaxValue;
        batch.Dispose();
        using var read = Read(journal);
        Assert.Equal(result.Id, read.Find(request.Fingerprint(), 1)!.TaskId);
    }

    [Fact]
    public async Task ARequestWhoseAnswerWasLostIsReportedOnceAndNeverSentAgain()
    {
        var journal = NewJournal();
        var request = Video("answer lost after creation");
        // The earlier run: intent recorded, the API created the task, its answer never came back.
        using (var first = JournalFile.OpenForWriting(journal)) first.Append(JournalRecord.Submit(request, 1, DateTime.UtcNow));
        await Client().SubmitAsync(request, CancellationToken.None);

        var batch = Batch(journal, clock: new ManualClock(new DateTime(2031, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc)));
        var plan = batch.Commit(batch.Plan(request));
        Assert.Equal(PlanAction.Resend, plan.Action);
        var error = await Assert.ThrowsAsync<ZAiApiException>(() => batch.SubmitAsync(plan, CancellationToken.None));
        batch.Dispose();

        // A task that exists and is billed but whose id was lost: its own ErrorId, apart from a request id reused.
        Assert.Equal(ZAiErrorReason.TaskIdLost, error.Reason);
        Assert.Contains("request id '" + request.RequestId + "'", error.Message);
        Assert.Contains("find it by its request id in the Z.AI console", error.Message);
        Assert.Equal(LedgerState.Unknown, Read(journal).Find(request.Fingerprint(), 1)!.State);
        Assert.Contains("\"time\":\"2031-02-03T04:05:06.789Z\"", File.ReadAllLines(journal).Single(l => l.Contains("\"type\":\"unknown\"", StringComparison.Ordinal)));

        var again = Batch(journal);
        var next = again.Plan(request);
        again.Dispose();
        Assert.Equal(PlanAction.KnownUnknown, next.Action);
        Assert.True(next.Skipped);
        Assert.Equal(2, Received(request));
    }

    [Fact]
    public async Task AFailedTaskIsNotPaidForAgainUnlessRetryFailedSendsItOnceUnderANewRequestId()
    {
        var journal = NewJournal();
        var request = Video("fails");
        using (var first = JournalFile.OpenForWriting(journal))
        {
            var intent = JournalRecord.Submit(request, 1, DateTime.UtcNow);
            first.Append(intent);
            first.Append(JournalRecord.Accepted(intent, "t-failed", DateTime.UtcNow));
            first.Append(JournalRecord.Finished("t-failed", false, "content rejected", null, DateTime.UtcNow));
        }

        var plain = Batch(journal);
        var skipped = plain.Plan(request);
        plain.Dispose();
        Assert.Equal(PlanAction.KnownFailure, skipped.Action);
        Assert.Contains("content rejected", plain.JournalNote(skipped));

        var retry = Batch(journal, retryFailed: true);
        var plan = retry.Commit(retry.Plan(request));
        Assert.Equal(PlanAction.Send, plan.Action);
        var result = await retry.SubmitAsync(plan, CancellationToken.None).WaitAsync(Guard);
        retry.Dispose();

        using var read = Read(journal);
        var entry = read.Find(request.Fingerprint(), 1)!;
        Assert.Equal(LedgerState.Submitted, entry.State);
        Assert.Equal(result.Id, entry.TaskId);
        Assert.NotEqual(request.RequestId, entry.RequestId);
        Assert.Equal(1, Received(request));
    }

    [Fact]
    public void ABatchThatSendsNothingCreatesNoJournalAndNoLock()
    {
        var journal = NewJournal();
        var batch = Batch(journal);

        batch.Plan(Video("answered No at -Confirm"));
        batch.Dispose();

        Assert.False(File.Exists(journal));
        Assert.False(File.Exists(journal + ".lock"));
    }

    [Fact]
    public async Task TheIntentLineIsOnDiskBeforeTheRequestLeaves()
    {
        // The durable flush is seen through the file stream itself: a plain Flush() (the OS cache) would let a
        // power cut lose the line of a request the API then bills, and a re-run would pay for it again.
        var journal = NewJournal();
        var request = Video("durable");
        var flushes = new List<(string Line, int PostsSeen)>();
        DurableFileStream? disk = null;
        var batch = Batch(journal, open: p => disk = new DurableFileStream(p, line => flushes.Add((line, Received(request)))));
        var plan = batch.Commit(batch.Plan(request));

        await batch.SubmitAsync(plan, CancellationToken.None).WaitAsync(Guard);
        batch.Dispose();

        Assert.NotNull(disk);
        Assert.Equal(new[] { "submit", "accepted" }, flushes.Select(f => f.Line).ToArray());
        Assert.Equal(0, flushes[0].PostsSeen);
        Assert.Equal(1, Received(request));
    }

    [Fact]
    public async Task AReservationEndsWhenItsIntentIsRecordedAndOneNeverSentIsGivenBackAtTheEnd()
    {
        var journal = NewJournal();
        var batch = Batch(journal);
        var plans = new[] { "a", "b", "c" }.Select(p => batch.Commit(batch.Plan(Video(p)))).ToList();
        foreach (var plan in plans) Assert.True(batch.Reserve(plan, 0.20m, 1.00m, _ => 0.20m, out _));
        Assert.Equal(3, batch.ReservationsHeld);
        var shared = batch.View!;
        Assert.Equal(0.60m, shared.Reserved);

        await batch.SubmitAsync(plans[0], CancellationToken.None).WaitAsync(Guard);
        await batch.SubmitAsync(plans[1], CancellationToken.None).WaitAsync(Guard);

        // Recorded, a request's price is the journal's: the batch no longer holds its reservation (a long run would keep one per request).
        Assert.Equal(1, batch.ReservationsHeld);
        Assert.Null(plans[0].Reservation);
        Assert.Equal(0.20m, shared.Reserved);
        Assert.True(batch.Reserve(batch.Commit(batch.Plan(Video("d"))), 0.20m, 1.00m, _ => 0.20m, out var spent));
        Assert.Equal(0.60m, spent);
        batch.Dispose();
        Assert.Equal(0m, shared.Reserved);
        Assert.Equal(0, batch.ReservationsHeld);
    }

    /// <summary>A journal file that tells which record each flush to disk (fsync) made durable.</summary>
    private sealed class DurableFileStream : FileStream
    {
        private readonly Action<string> _durable;
        private long _flushedTo;

        public DurableFileStream(string path, Action<string> durable)
            : base(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read)
        {
            _durable = durable;
        }

        public override void Flush(bool flushToDisk)
        {
            base.Flush(flushToDisk);
            if (!flushToDisk) return;
            var end = Position;
            var text = File.ReadAllText(Name).Substring((int)_flushedTo, (int)(end - _flushedTo));
            _flushedTo = end;
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                _durable(System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("type").GetString()!);
            }
        }
    }
}
