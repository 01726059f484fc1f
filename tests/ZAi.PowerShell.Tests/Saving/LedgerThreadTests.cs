using System.Management.Automation;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Tests.Engine;
using ZAi.PowerShell.Tests.Ledger;
using ZAi.PowerShell.Waiting;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>
/// Save's and Wait's ledgers write journal lines from download and poll threads; what they have to say reaches
/// the pipeline only on the cmdlet's thread (a sink that fails on a write from any other thread).
/// </summary>
public sealed class LedgerThreadTests : IDisposable
{
    private readonly SaveHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void SaveLedgerRecordsAnExpiredTaskOnceFromAnyThreadAndTheJournalSaysExpiredWithTheReason()
    {
        var journal = _h.Journal(("t1", "cat"));
        var input = SaveHarness.Image("t1", "cat", "x", journal);
        var sink = new ThreadCheckingSink();
        using var queue = new WriteQueue();
        using (var ledger = new SaveLedger(Path.Combine(_h.Root, "a"), new FileNameClaims(), m => queue.Post(() => sink.WriteWarning(m))))
        {
            Assert.NotNull(ledger.Open(input));
            Task.WaitAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ledger.Expired(input, "t1", "The link of the video 0 of task 't1' has expired (HTTP 403)."))).ToArray());
            queue.RunPending();
        }

        sink.AssertOneThread();
        Assert.Single(File.ReadAllLines(journal), l => l.Contains("\"type\":\"expired\""));
        var entry = SaveHarness.Entries(journal).Single();
        Assert.Equal(LedgerState.Expired, entry.State);
        Assert.Equal("The link of the video 0 of task 't1' has expired (HTTP 403).", entry.Reason);
    }

    [Fact]
    public void SaveLedgerSaysAJournalThatCannotBeWrittenOnceThroughTheCmdletThread()
    {
        var journal = _h.Journal(("t1", "cat"), ("t2", "dog"));
        using var held = SharedJournals.Open(journal, p => new FailingStream(p, new FileInfo(p).Length));
        var sink = new ThreadCheckingSink();
        using var queue = new WriteQueue();
        var file = Path.Combine(_h.Root, "t1.png");
        File.WriteAllText(file, "x");
        using (var ledger = new SaveLedger(_h.Root, new FileNameClaims(), m => queue.Post(() => sink.WriteWarning(m))))
        {
            var one = SaveHarness.Image("t1", "cat", "x", journal);
            var two = SaveHarness.Image("t2", "dog", "x", journal);
            ledger.Open(one);
            ledger.Open(two);
            Task.WaitAll(
                Task.Run(() => ledger.Record(one, new MediaItem("t1", MediaKind.Image, 0, null, "eA=="), file, "abc")),
                Task.Run(() => ledger.Record(two, new MediaItem("t2", MediaKind.Image, 0, null, "eA=="), file, "abc")));
            queue.RunPending();
        }

        sink.AssertOneThread();
        Assert.Contains("could not record a saved file", Assert.Single(sink.Warnings));
    }

    [Fact]
    public void WaitLedgerRecordsAnEndOnceAndSaysAFailedWriteThroughTheCmdletThread()
    {
        var journal = _h.Journal(("t1", "cat"), ("t2", "dog"));
        var sink = new ThreadCheckingSink();
        using var queue = new WriteQueue();
        using (var ledger = new WaitLedger(m => queue.Post(() => sink.WriteWarning(m))))
        {
            var file = ledger.Open(journal);
            Assert.NotNull(file);
            Task.WaitAll(Task.Run(() => ledger.Finished(file, "t1", true, null, null, 2)), Task.Run(() => ledger.Finished(file, "t1", true, null, null, 2)));
            queue.RunPending();
        }
        sink.AssertOneThread();
        Assert.Empty(sink.Warnings);
        Assert.Single(File.ReadAllLines(journal), l => l.Contains("\"type\":\"finished\""));
        Assert.Equal(2, SaveHarness.Entries(journal)[0].ExpectedFiles);

        using var held = SharedJournals.Open(journal, p => new FailingStream(p, new FileInfo(p).Length));
        using (var ledger = new WaitLedger(m => queue.Post(() => sink.WriteWarning(m))))
        {
            var file = ledger.Open(journal);
            Task.Run(() => ledger.Finished(file, "t2", false, "content rejected", null)).Wait();
            queue.RunPending();
        }
        sink.AssertOneThread();
        Assert.Contains("could not record that task 't2' ended", Assert.Single(sink.Warnings));
    }
}
