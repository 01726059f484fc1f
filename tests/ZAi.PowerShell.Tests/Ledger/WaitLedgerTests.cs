using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>Wait-ZAiAsyncResult's side of the journal on real files: what a task's end writes, when, once, and what a journal that cannot be written costs.</summary>
public sealed class WaitLedgerTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-waitledger-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _warnings = new();
    private readonly ManualClock _clock = new(Start);

    public WaitLedgerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private WaitLedger Ledger() => new(message => { lock (_warnings) _warnings.Add(message); }, _clock);

    /// <summary>A journal with one accepted request per task id, as Start leaves it.</summary>
    private string Journal(params string[] taskIds)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");
        using var journal = JournalFile.OpenForWriting(path);
        foreach (var id in taskIds)
        {
            var intent = JournalRecord.Submit(GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "prompt of " + id }), 1, Start);
            journal.Append(intent);
            journal.Append(JournalRecord.Accepted(intent, id, Start));
        }
        return path;
    }

    private static string[] Lines(string path) => File.ReadAllLines(path);

    [Fact]
    public void ASuccessIsRecordedAtTheClocksTimeWithItsLinksExpiryAndFileCount()
    {
        var path = Journal("task-1");
        using var ledger = Ledger();

        var journal = ledger.Open(path);
        var entry = journal!.FindTask("task-1");
        Assert.Equal(LedgerState.Submitted, entry!.State);
        _clock.Advance(TimeSpan.FromSeconds(95));
        ledger.Finished(journal, "task-1", succeeded: true, null, Start.AddDays(1), mediaFiles: 2);
        ledger.Close();

        Assert.Equal("prompt of task-1", entry.Prompt);
        Assert.Equal(LedgerState.Succeeded, entry.State);
        Assert.Equal(
            "{\"v\":2,\"type\":\"finished\",\"time\":\"2026-12-01T12:01:35.000Z\",\"taskId\":\"task-1\",\"status\":\"SUCCESS\",\"expiresAt\":\"2026-12-02T12:00:00.000Z\",\"files\":2}",
            Lines(path)[2]);
        using var read = JournalFile.ReadOnly(path);
        var ended = read.FindTask("task-1")!;
        Assert.Equal(LedgerState.Succeeded, ended.State);
        Assert.Equal(2, ended.ExpectedFiles);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void AFailureIsRecordedWithItsReasonAndEachEndOnlyOnce()
    {
        var path = Journal("task-ok", "task-bad");
        using var ledger = Ledger();
        var journal = ledger.Open(path);

        ledger.Finished(journal, "task-ok", succeeded: true, null, null);
        ledger.Finished(journal, "task-ok", succeeded: true, null, null);
        ledger.Finished(journal, "task-bad", succeeded: false, "content rejected", null);
        ledger.Finished(journal, "task-bad", succeeded: false, "content rejected", null);
        ledger.Close();

        var lines = Lines(path);
        Assert.Equal(6, lines.Length);
        Assert.Equal("{\"v\":2,\"type\":\"finished\",\"time\":\"2026-12-01T12:00:00.000Z\",\"taskId\":\"task-ok\",\"status\":\"SUCCESS\"}", lines[4]);
        Assert.Equal("{\"v\":2,\"type\":\"finished\",\"time\":\"2026-12-01T12:00:00.000Z\",\"taskId\":\"task-bad\",\"status\":\"FAIL\",\"reason\":\"content rejected\"}", lines[5]);
    }

    [Fact]
    public void AFailureAfterARecordedSuccessIsStillRecorded()
    {
        // A success is written once; a failure is held back only by a failure already recorded.
        var path = Journal("task-1");
        using var ledger = Ledger();
        var journal = ledger.Open(path);

        ledger.Finished(journal, "task-1", succeeded: true, null, null);
        ledger.Finished(journal, "task-1", succeeded: false, "withdrawn", null);
        ledger.Close();

        Assert.Equal(4, Lines(path).Length);
        using var read = JournalFile.ReadOnly(path);
        Assert.Equal(LedgerState.Failed, read.FindTask("task-1")!.State);
        Assert.Equal("withdrawn", read.FindTask("task-1")!.Reason);
    }

    [Fact]
    public void ATaskWithoutAJournalIsNeitherTrackedNorRecorded()
    {
        var path = Journal("task-1");
        var before = Lines(path);
        using var ledger = Ledger();

        var journal = ledger.Open(null);
        ledger.Finished(journal, "task-1", succeeded: true, null, null);
        ledger.Finished(journal, "task-unknown", succeeded: false, "nope", null);

        Assert.Null(journal);
        Assert.Empty(ledger.Close());
        Assert.Equal(before, Lines(path));
    }

    [Fact]
    public void ATaskTheJournalDoesNotKnowIsTrackedAndItsEndRecorded()
    {
        var path = Journal("task-1");
        using var ledger = Ledger();

        var journal = ledger.Open(path);
        Assert.Null(journal!.FindTask("task-other"));
        ledger.Finished(journal, "task-other", succeeded: true, null, null);
        ledger.Close();

        Assert.Equal("{\"v\":2,\"type\":\"finished\",\"time\":\"2026-12-01T12:00:00.000Z\",\"taskId\":\"task-other\",\"status\":\"SUCCESS\"}", Lines(path)[2]);
    }

    [Fact]
    public void AJournalThatCannotBeOpenedIsOneWarningAndTheTasksAreWaitedForWithoutIt()
    {
        var path = Path.Combine(_folder, "missing-folder", "journal.jsonl");
        using var ledger = Ledger();

        Assert.Null(ledger.Open(path));
        Assert.Null(ledger.Open(path));
        ledger.Finished(null, "task-1", succeeded: true, null, null);

        var warning = Assert.Single(_warnings);
        Assert.StartsWith($"The journal '{path}' of the input cannot be written (", warning);
        Assert.EndsWith("); tasks are waited for without it.", warning);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AFullDiskCostsOneWarningNamingTheFirstTaskAndNoResult()
    {
        var path = Journal("task-1", "task-2");
        // Another command of the process holds the journal on a disk with no room left: the ledger shares its handle.
        using var held = SharedJournals.Open(path, p => new FailingStream(p, new FileInfo(p).Length));
        using var ledger = Ledger();
        var journal = ledger.Open(path);

        ledger.Finished(journal, "task-1", succeeded: true, null, null);
        ledger.Finished(journal, "task-2", succeeded: false, "content rejected", null);

        Assert.Equal(new[] { $"The journal '{path}' could not record that task 'task-1' ended (No space left on device); a re-run polls it again." }, _warnings);
        // Still held by the other command: this one is not the last to use it.
        Assert.Empty(ledger.Close());
        Assert.Equal(4, Lines(path).Length);
    }

    [Fact]
    public void CloseNamesTheJournalsThisCommandWasTheLastToUse()
    {
        var mine = Journal("task-1");
        var shared = Journal("task-2");
        using var other = SharedJournals.Open(shared);
        using var ledger = Ledger();
        var journal = ledger.Open(mine);
        ledger.Open(shared);

        var closed = ledger.Close();

        Assert.Equal(new[] { mine }, closed.Select(j => j.Path));
        Assert.True(other.Release());
    }

    [Fact]
    public void AnEndSeenAfterCloseIsNotRecorded()
    {
        // A stop closes the ledger while polls may still be answered: the journal is no longer this command's to write.
        var path = Journal("task-1");
        using var other = SharedJournals.Open(path);
        using var ledger = Ledger();
        var journal = ledger.Open(path);

        ledger.Close();
        ledger.Finished(journal, "task-1", succeeded: true, null, null);

        Assert.Equal(2, Lines(path).Length);
        Assert.Equal(LedgerState.Submitted, other.Journal.FindTask("task-1")!.State);
    }
}
