using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>
/// What a journal may have been billed for, and one budget for every command writing it: refused, unknown,
/// recorded and retried requests, reservations of requests admitted and not recorded yet, the batch's end.
/// </summary>
public sealed class JournalSpendTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-spend-" + Guid.NewGuid().ToString("N"));

    public JournalSpendTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");

    private static GenerationRequest Request(string prompt, string? requestId = null) =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, Model = "cogvideox-3", RequestId = requestId });

    private static decimal? Price(string? model) => model == "cogvideox-3" ? 0.20m : null;

    [Fact]
    public void EverySendThatMayBeBilledCountsAndARefusalDoesNot()
    {
        using var journal = JournalFile.OpenForWriting(NewPath());
        var accepted = JournalRecord.Submit(Request("accepted"), 1, Now);
        journal.Append(accepted);
        journal.Append(JournalRecord.Accepted(accepted, "t1", Now));
        var lost = JournalRecord.Submit(Request("lost"), 1, Now);
        journal.Append(lost);
        journal.Append(JournalRecord.Unknown(lost, "task id never received", Now));
        journal.Append(JournalRecord.Submit(Request("recorded"), 1, Now));
        var retried = JournalRecord.Submit(Request("retried", "first-id"), 1, Now);
        journal.Append(retried);
        journal.Append(JournalRecord.Accepted(retried, "t2", Now));
        journal.Append(JournalRecord.Finished("t2", false, "rejected", null, Now));
        var again = JournalRecord.Submit(Request("retried", "second-id"), 1, Now);
        journal.Append(again);
        journal.Append(JournalRecord.Refused(JournalRecord.Submit(Request("refused"), 1, Now), "over budget", Now));

        var models = journal.BilledModels();
        Assert.Equal(5, models.Count);
        var states = journal.Entries().Select(e => $"{e.Prompt}:{e.State}:{e.Attempts}").ToArray();
        Assert.Equal(new[] { "accepted:Submitted:1", "lost:Unknown:1", "recorded:Recorded:1", "retried:Recorded:2", "refused:Refused:0" }, states);
    }

    [Fact]
    public void ARefusedRequestSentLaterCountsOnceAndKeepsItsLine()
    {
        using var journal = JournalFile.OpenForWriting(NewPath());
        var request = Request("later");
        journal.Append(JournalRecord.Refused(JournalRecord.Submit(request, 1, Now), "over budget", Now));
        var intent = JournalRecord.Submit(request, 1, Now);
        journal.Append(intent);
        journal.Append(JournalRecord.Accepted(intent, "t1", Now));

        var entry = Assert.Single(journal.Entries());
        Assert.Equal(LedgerState.Submitted, entry.State);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal(1, entry.Line);
    }

    [Fact]
    public void AVersionOneJournalsAcceptedLineCounts()
    {
        var path = NewPath();
        File.WriteAllText(path, "{\"v\":1,\"type\":\"accepted\",\"requestId\":\"r1\",\"key\":\"k\",\"occurrence\":1,\"taskId\":\"t1\",\"model\":\"cogvideox-3\",\"prompt\":\"old\"}\n");
        using var journal = JournalFile.ReadOnly(path);

        Assert.Equal(new string?[] { "cogvideox-3" }, journal.BilledModels());
    }

    [Fact]
    public void CommandsSharingAJournalShareItsBudgetIncludingWhatIsAdmittedAndNotRecordedYet()
    {
        using var journal = JournalFile.OpenForWriting(NewPath());
        var spent = journal.BilledModels();
        Assert.Empty(spent);

        // Three commands with -MaximumCost 0.50 on one journal: two 0.20 tasks fit, whoever admits them.
        var first = journal.TryReserve(0.20m, 0.50m, Price, out var s1);
        var second = journal.TryReserve(0.20m, 0.50m, Price, out var s2);
        var third = journal.TryReserve(0.20m, 0.50m, Price, out var s3);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.Equal(new[] { 0m, 0.20m, 0.40m }, new[] { s1, s2, s3 });

        // Recording the intent turns the reservation into the journal's spend in one step: not counted twice.
        journal.Append(JournalRecord.Submit(Request("a"), 1, Now), first);
        Assert.Null(journal.TryReserve(0.20m, 0.50m, Price, out var s4));
        Assert.Equal(0.40m, s4);
        Assert.Equal(0.20m, journal.Reserved);

        // A request that is never sent gives its room back.
        second!.Release();
        second.Release();
        Assert.Equal(0m, journal.Reserved);
        Assert.NotNull(journal.TryReserve(0.20m, 0.50m, Price, out var s5));
        Assert.Equal(0.20m, s5);
    }

    [Fact]
    public void ABudgetCheckPricesEachModelOnceHoweverLongTheJournal()
    {
        using var journal = JournalFile.OpenForWriting(NewPath());
        for (var i = 0; i < 300; i++)
        {
            var model = i % 3 == 0 ? "viduq1-text" : "cogvideox-3";
            var intent = JournalRecord.Submit(GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "p" + i, Model = model }), 1, Now);
            journal.Append(intent);
            if (i % 5 == 0) journal.Append(JournalRecord.Accepted(intent, "t" + i, Now));
        }
        // A retry under a new request id is billed again; a refusal never is.
        journal.Append(JournalRecord.Submit(Request("p1", "second-id"), 1, Now));
        journal.Append(JournalRecord.Refused(JournalRecord.Submit(Request("never sent"), 1, Now), "over budget", Now));
        var asked = new List<string?>();
        decimal? Priced(string? model)
        {
            asked.Add(model);
            return model == "cogvideox-3" ? 0.20m : model == "viduq1-text" ? 0.50m : null;
        }

        Assert.NotNull(journal.TryReserve(0.20m, null, Priced, out var spent));

        Assert.Equal(new[] { "cogvideox-3", "viduq1-text" }, asked.OrderBy(m => m, StringComparer.Ordinal).ToArray());
        // 200 cogvideox-3 sends and one retry at $0.20, 100 viduq1-text sends at $0.50.
        Assert.Equal(201 * 0.20m + 100 * 0.50m, spent);
        Assert.Equal(journal.Entries().Sum(e => e.EstimatedSpend(m => m == "cogvideox-3" ? 0.20m : 0.50m) ?? 0m), spent);
    }

    [Fact]
    public void UnknownAndRecordedRequestsLeaveNoRoomForAnotherTask()
    {
        using var journal = JournalFile.OpenForWriting(NewPath());
        var lost = JournalRecord.Submit(Request("lost"), 1, Now);
        journal.Append(lost);
        journal.Append(JournalRecord.Unknown(lost, "never received", Now));
        journal.Append(JournalRecord.Submit(Request("recorded"), 1, Now));

        Assert.Null(journal.TryReserve(0.20m, 0.40m, Price, out var spent));
        Assert.Equal(0.40m, spent);
    }

    [Fact]
    public void TheBatchIsDoneOnlyWhenNothingEndedUnsaved()
    {
        using var journal = JournalFile.OpenForWriting(NewPath());
        var pending = JournalRecord.Submit(Request("pending"), 1, Now);
        journal.Append(pending);
        journal.Append(JournalRecord.Accepted(pending, "t1", Now));
        Assert.True(BatchReport.Of(journal).Done);

        var failed = JournalRecord.Submit(Request("failed"), 1, Now);
        journal.Append(failed);
        journal.Append(JournalRecord.Accepted(failed, "t2", Now));
        journal.Append(JournalRecord.Finished("t2", false, "rejected", null, Now));
        var expired = JournalRecord.Submit(Request("expired"), 1, Now);
        journal.Append(expired);
        journal.Append(JournalRecord.Accepted(expired, "t3", Now));
        journal.Append(JournalRecord.Finished("t3", true, null, Now, Now, mediaFiles: 2));
        journal.Append(JournalRecord.Expired("t3", "links expired", Now));
        journal.Append(JournalRecord.Refused(JournalRecord.Submit(Request("refused"), 1, Now), "over budget", Now));

        var report = BatchReport.Of(journal);
        Assert.False(report.Done);
        Assert.Equal(
            $"The batch of journal '{journal.Path}' is not done: 0 of 4 request(s) saved; 1 failed, 1 expired before they were saved, 1 refused by -MaximumCost (not sent), 1 not saved yet. "
            + $"Get-ZAiJournal '{journal.Path}' -State Failed,Expired,Refused lists them.",
            report.Describe());
        Assert.Equal("Run again with -RetryFailed to submit the failed and expired prompts once more (billed again); raise -MaximumCost to submit the refused prompts.", report.Advice());
    }
}
