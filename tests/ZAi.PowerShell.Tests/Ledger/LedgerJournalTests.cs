using ZAi.PowerShell.Journal;
using System.Text;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>The journal as the runbook's ledger, on real files: states, a full disk, links, the lock, sharing.</summary>
public sealed class LedgerJournalTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-ledger-" + Guid.NewGuid().ToString("N"));

    public LedgerJournalTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");

    private static GenerationRequest Request(string prompt) =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt });

    [Fact]
    public void EachRequestWalksThroughItsStatesAndReadsBackTheSame()
    {
        var path = NewPath();
        var saved = Path.Combine(_folder, "a.mp4");
        File.WriteAllBytes(saved, new byte[10]);
        var ok = Request("ok");
        var bad = Request("bad");
        var lost = Request("lost");
        var pending = Request("pending");
        using (var journal = JournalFile.OpenForWriting(path))
        {
            var a = JournalRecord.Submit(ok, 1, Now);
            journal.Append(a);
            journal.Append(JournalRecord.Accepted(a, "task-ok", Now));
            journal.Append(JournalRecord.Finished("task-ok", true, null, Now.AddDays(1), Now));
            journal.Append(JournalRecord.Saved("task-ok", saved, 10, "Video", 0, Now));
            var b = JournalRecord.Submit(bad, 1, Now);
            journal.Append(b);
            journal.Append(JournalRecord.Accepted(b, "task-bad", Now));
            journal.Append(JournalRecord.Finished("task-bad", false, "content rejected", null, Now));
            var c = JournalRecord.Submit(lost, 1, Now);
            journal.Append(c);
            journal.Append(JournalRecord.Unknown(c, "task id never received", Now));
            journal.Append(JournalRecord.Submit(pending, 1, Now));
        }

        using var read = JournalFile.ReadOnly(path);
        Assert.Empty(read.Warnings);
        var states = read.Entries().Select(e => $"{e.Prompt}:{e.State}:{e.TaskId}:{e.Reason}").ToArray();
        Assert.Equal(new[] { "ok:Saved:task-ok:", "bad:Failed:task-bad:content rejected", "lost:Unknown::task id never received", "pending:Recorded::" }, states);
        var okEntry = read.FindTask("task-ok")!;
        Assert.True(okEntry.FilesIntact());
        Assert.Equal(Now.AddDays(1), okEntry.ExpiresUtc);
        // A task whose end gave no expiry (a failure) has none, not the earliest date.
        Assert.Null(read.FindTask("task-bad")!.ExpiresUtc);
        File.WriteAllBytes(saved, new byte[9]);
        Assert.False(okEntry.FilesIntact());
        var lines = File.ReadAllLines(path);
        Assert.Equal("{\"v\":2,\"type\":\"finished\",\"time\":\"2026-12-01T12:00:00.000Z\",\"taskId\":\"task-ok\",\"status\":\"SUCCESS\",\"expiresAt\":\"2026-12-02T12:00:00.000Z\"}", lines[2]);
        Assert.Equal("{\"v\":2,\"type\":\"saved\",\"time\":\"2026-12-01T12:00:00.000Z\",\"taskId\":\"task-ok\",\"path\":" + System.Text.Json.JsonSerializer.Serialize(saved) + ",\"length\":10,\"kind\":\"Video\",\"index\":0}", lines[3]);
    }

    [Fact]
    public void ATaskStoppedBetweenItsVideoAndItsCoverIsNotDone()
    {
        var path = NewPath();
        var video = Path.Combine(_folder, "v.mp4");
        var cover = Path.Combine(_folder, "v.cover.jpeg");
        File.WriteAllBytes(video, new byte[10]);
        File.WriteAllBytes(cover, new byte[3]);
        var request = Request("two files");
        using var journal = JournalFile.OpenForWriting(path);
        var intent = JournalRecord.Submit(request, 1, Now);
        journal.Append(intent);
        journal.Append(JournalRecord.Accepted(intent, "t2", Now));
        journal.Append(JournalRecord.Finished("t2", true, null, null, Now, mediaFiles: 2));
        journal.Append(JournalRecord.Saved("t2", video, 10, "Video", 0, Now));

        Assert.Equal(LedgerState.Saved, journal.FindTask("t2")!.State);
        Assert.False(journal.FindTask("t2")!.FilesIntact());

        journal.Append(JournalRecord.Saved("t2", cover, 3, "Cover", 0, Now));
        Assert.True(journal.FindTask("t2")!.FilesIntact());
        using var read = JournalFile.ReadOnly(path);
        Assert.Equal(2, read.FindTask("t2")!.ExpectedFiles);
        Assert.True(read.FindTask("t2")!.FilesIntact());
    }

    [Fact]
    public void AVersion1JournalStillReads()
    {
        var path = NewPath();
        File.WriteAllText(path,
            "{\"v\":1,\"type\":\"submit\",\"time\":\"2026-12-01T12:00:00.000Z\",\"requestId\":\"r1\",\"key\":\"k1\",\"occurrence\":1,\"prompt\":\"old\"}\n"
            + "{\"v\":1,\"type\":\"accepted\",\"time\":\"2026-12-01T12:00:01.000Z\",\"requestId\":\"r1\",\"key\":\"k1\",\"occurrence\":1,\"taskId\":\"t1\",\"prompt\":\"old\"}\n");

        using var journal = JournalFile.ReadOnly(path);

        Assert.Empty(journal.Warnings);
        var entry = Assert.Single(journal.Entries());
        Assert.Equal(LedgerState.Submitted, entry.State);
        Assert.Equal("t1", entry.TaskId);
        Assert.Equal("old", entry.Prompt);
    }

    // The module's own request ids (32 lower-case hex digits) are held as bits, others as written: both compare the same.
    [Theory]
    [InlineData("new-request-id")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    public void ARetriedRequestForgetsWhatItsFailedTaskDid(string retryId)
    {
        var path = NewPath();
        var request = Request("again");
        using (var journal = JournalFile.OpenForWriting(path))
        {
            var first = JournalRecord.Submit(request, 1, Now);
            journal.Append(first);
            journal.Append(JournalRecord.Accepted(first, "t-old", Now));
            journal.Append(JournalRecord.Finished("t-old", false, "failed", null, Now));
            var retry = JournalRecord.Submit(request.WithRequestId(retryId), 1, Now);
            journal.Append(retry);
            journal.Append(JournalRecord.Accepted(retry, "t-new", Now));
            // Late lines about the old task and the old request id change nothing.
            journal.Append(JournalRecord.Finished("t-old", false, "failed again", null, Now));
            journal.Append(JournalRecord.Accepted(first, "t-old", Now));
        }

        using var read = JournalFile.ReadOnly(path);
        var entry = Assert.Single(read.Entries());
        Assert.Equal(LedgerState.Submitted, entry.State);
        Assert.Equal("t-new", entry.TaskId);
        Assert.Equal(retryId, entry.RequestId);
        Assert.True(entry.HasRequestId(retryId));
        Assert.False(entry.HasRequestId(request.RequestId));
        Assert.Equal(2, entry.Attempts);
        Assert.Null(read.FindTask("t-old"));
    }

    [Fact]
    public void ALineTheFullDiskRefusedIsCutBackKeptAndWrittenOnceThereIsRoom()
    {
        var path = NewPath();
        FailingStream? disk = null;
        var request = Request("full disk");
        var intent = JournalRecord.Submit(request, 1, Now);
        var intentBytes = intent.ToLine().Length;
        using (var journal = JournalFile.OpenForWriting(path, p => disk = new FailingStream(p, intentBytes + 20)))
        {
            journal.Append(intent);
            var accepted = JournalRecord.Accepted(intent, "task-on-full-disk", Now);

            var error = Assert.Throws<IOException>(() => journal.Append(accepted));

            Assert.Equal("No space left on device", error.Message);
            Assert.Equal(1, journal.Pending);
            // No torn line is left behind: the file holds the intent only.
            Assert.Equal(intentBytes, new FileInfo(path).Length);
            Assert.Null(journal.FindTask("task-on-full-disk"));

            disk!.Room = long.MaxValue;
            journal.Append(JournalRecord.Finished("task-on-full-disk", true, null, null, Now));

            Assert.Equal(0, journal.Pending);
            Assert.Equal(LedgerState.Succeeded, journal.FindTask("task-on-full-disk")!.State);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"type\":\"accepted\"", lines[1]);
        Assert.Contains("\"type\":\"finished\"", lines[2]);
    }

    [Fact]
    public void ClosingWithLinesTheDiskStillRefusesThrowsNothing()
    {
        var path = NewPath();
        var journal = JournalFile.OpenForWriting(path, p => new FailingStream(p, 0));

        Assert.Throws<IOException>(() => journal.Append(JournalRecord.Submit(Request("x"), 1, Now)));
        journal.Dispose();

        Assert.Equal(0, new FileInfo(path).Length);
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public void APlantedLinkAtTheLockIsRefusedAndItsTargetUntouched()
    {
        var path = NewPath();
        var victim = Path.Combine(_folder, "precious.txt");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(path + ".lock", victim);

        var error = Assert.ThrowsAny<IOException>(() => JournalFile.OpenForWriting(path));

        Assert.Contains("symbolic link", error.Message);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AJournalThatIsALinkIsRefused()
    {
        var path = NewPath();
        var victim = Path.Combine(_folder, "other.jsonl");
        File.WriteAllText(victim, "not yours\n");
        File.CreateSymbolicLink(path, victim);

        Assert.ThrowsAny<IOException>(() => JournalFile.OpenForWriting(path));

        Assert.Equal("not yours\n", File.ReadAllText(victim));
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public void TheLockFileIsGoneAfterACleanCloseAndAStaleOneDoesNotBlock()
    {
        var path = NewPath();
        using (JournalFile.OpenForWriting(path))
        {
            Assert.True(File.Exists(path + ".lock"));
        }
        Assert.False(File.Exists(path + ".lock"));

        // What a killed process leaves: the file, with no process holding it.
        File.WriteAllText(path + ".lock", "Locked by process 1 at 2026-12-01.\n");
        using var journal = JournalFile.OpenForWriting(path);
        journal.Append(JournalRecord.Submit(Request("after a crash"), 1, Now));
        Assert.Equal(1, journal.Count);
    }

    [Fact]
    public void CommandsOfOneProcessShareOneWriterAndTheLastToLetGoClosesIt()
    {
        var path = NewPath();
        var first = SharedJournals.Open(path);
        var second = SharedJournals.Open(path);

        Assert.Same(first.Journal, second.Journal);
        first.Journal.Append(JournalRecord.Submit(Request("from one runspace"), 1, Now));
        Assert.NotNull(second.Journal.Find(Request("from one runspace").Fingerprint(), 1));
        first.Dispose();
        first.Dispose();
        Assert.True(SharedJournals.IsOpen(path));
        second.Journal.Append(JournalRecord.Submit(Request("from another"), 1, Now));
        second.Dispose();

        Assert.False(SharedJournals.IsOpen(path));
        Assert.False(File.Exists(path + ".lock"));
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void AppendsFromManyThreadsDuringACloseAreAllOnDiskOrRefused()
    {
        var path = NewPath();
        var journal = JournalFile.OpenForWriting(path);
        var written = 0;
        var refused = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                try
                {
                    journal.Append(JournalRecord.Submit(Request($"t{t} p{i}"), 1, Now));
                    Interlocked.Increment(ref written);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        journal.Dispose();
        threads.ForEach(t => t.Join());

        Assert.Equal(200, written + refused);
        Assert.Equal(written, File.ReadAllLines(path).Length);
        using var read = JournalFile.ReadOnly(path);
        Assert.Empty(read.Warnings);
        Assert.Equal(written, read.Count);
    }
}
