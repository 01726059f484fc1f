using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Submitting;
using Xunit;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>What a re-run does with each request the journal knows: the plan, decided without sending anything.</summary>
public sealed class PlanMatchTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-plan-" + Guid.NewGuid().ToString("N"));

    public PlanMatchTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static GenerationRequest Request(string prompt, string? requestId = null) =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, RequestId = requestId });

    private string Journal(Action<JournalFile> write)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");
        using var journal = JournalFile.OpenForWriting(path);
        write(journal);
        return path;
    }

    private static void Expired(JournalFile journal, GenerationRequest request, string taskId)
    {
        var intent = JournalRecord.Submit(request, 1, Now);
        journal.Append(intent);
        journal.Append(JournalRecord.Accepted(intent, taskId, Now));
        journal.Append(JournalRecord.Finished(taskId, true, null, Now, Now, mediaFiles: 1));
        journal.Append(JournalRecord.Expired(taskId, "links expired before the files were saved", Now));
    }

    [Fact]
    public void AnExpiredTaskIsSkippedUntilRetryFailedAsksAndThenGoesUnderANewRequestId()
    {
        var path = Journal(j => Expired(j, Request("sunset", "expired-id"), "t1"));

        using var plain = new SubmissionBatch(JournalFile.ReadOnly(path));
        var skipped = plain.Plan(Request("sunset"));
        Assert.Equal(PlanAction.KnownFailure, skipped.Action);
        Assert.Contains("links expired before its files were saved", plain.JournalNote(skipped));

        using var retry = new SubmissionBatch(JournalFile.ReadOnly(path), retryFailed: true);
        var resent = retry.Plan(Request("sunset"));
        Assert.Equal(PlanAction.Send, resent.Action);
        Assert.NotEqual("expired-id", resent.Request.RequestId);
    }

    [Fact]
    public void TheSamePromptAgainIsMatchedToEachOccurrenceTheJournalHasThenSentAsANewOne()
    {
        var path = Journal(j =>
        {
            for (var occurrence = 1; occurrence <= 2; occurrence++)
            {
                var intent = JournalRecord.Submit(Request("fox"), occurrence, Now);
                j.Append(intent);
                j.Append(JournalRecord.Accepted(intent, "t" + occurrence, Now));
            }
        });

        using var batch = new SubmissionBatch(JournalFile.ReadOnly(path));
        var plans = new[] { batch.Plan(Request("fox")), batch.Plan(Request("fox")), batch.Plan(Request("fox")) };

        Assert.Equal(new[] { 1, 2, 3 }, plans.Select(p => p.Occurrence));
        Assert.Equal(new[] { PlanAction.Adopt, PlanAction.Adopt, PlanAction.Send }, plans.Select(p => p.Action));
        Assert.Equal(new[] { "t1", "t2", null }, plans.Select(p => p.Recorded?.TaskId));
    }

    [Fact]
    public void RepeatsAreCountedForAJournalAndNotWithoutOne()
    {
        var path = Path.Combine(_folder, "new.jsonl");
        using var journaled = new SubmissionBatch(JournalFile.ReadOnly(path), view => SharedJournals.Open(path, readBefore: view));
        using var plain = new SubmissionBatch();

        var numbered = new[] { "fox", "owl", "fox" }.Select(p => journaled.Plan(Request(p)).Occurrence).ToArray();
        var unnumbered = new[] { "fox", "owl", "fox" }.Select(p => plain.Plan(Request(p))).ToArray();

        Assert.Equal(new[] { 1, 1, 2 }, numbered);
        Assert.Equal(2, journaled.KeysCounted);
        // Without a journal nothing reads the numbers: no key is kept per request for the command.
        Assert.Equal(0, plain.KeysCounted);
        Assert.All(unnumbered, p => Assert.Equal(PlanAction.Send, p.Action));
    }

    [Fact]
    public void ARefusedRequestIsDecidedAgainUnderTheRequestIdTheJournalRecorded()
    {
        var path = Journal(j => j.Append(JournalRecord.Refused(JournalRecord.Submit(Request("dear", "refused-id"), 1, Now), "over budget", Now)));

        using var batch = new SubmissionBatch(JournalFile.ReadOnly(path));
        var plan = batch.Plan(Request("dear"));

        Assert.Equal(PlanAction.Send, plan.Action);
        Assert.True(plan.RefusedBefore);
        Assert.Equal("refused-id", plan.Request.RequestId);
        Assert.Contains("refused by the budget in an earlier run", batch.JournalNote(plan));
    }

    [Fact]
    public void ARecordedRequestGoesAgainUnderItsRecordedIdEvenWhenTheUserGivesAnother()
    {
        var path = Journal(j => j.Append(JournalRecord.Submit(Request("lost answer", "recorded-id"), 1, Now)));

        using var batch = new SubmissionBatch(JournalFile.ReadOnly(path));
        var plan = batch.Plan(Request("lost answer", "new-user-id"));

        Assert.Equal(PlanAction.Resend, plan.Action);
        Assert.Equal("recorded-id", plan.Request.RequestId);
        Assert.Contains("-RequestId 'new-user-id' is not used", plan.RequestIdNote);
        Assert.Contains("under request id 'recorded-id'", plan.RequestIdNote);
        Assert.Contains("submitted again under the same request id 'recorded-id'", batch.JournalNote(plan));
    }

    [Fact]
    public void ARecordedRequestWithoutAGivenIdSaysNothingAboutIt()
    {
        var path = Journal(j => j.Append(JournalRecord.Submit(Request("lost answer", "recorded-id"), 1, Now)));

        using var batch = new SubmissionBatch(JournalFile.ReadOnly(path));
        var plan = batch.Plan(Request("lost answer"));

        Assert.Equal("recorded-id", plan.Request.RequestId);
        Assert.Null(plan.RequestIdNote);
    }

    [Fact]
    public void ARefusalIsRecordedOnceAndNewsOnlyTheFirstTime()
    {
        var path = Path.Combine(_folder, "refusals.jsonl");
        using (var first = new SubmissionBatch(JournalFile.ReadOnly(path), view => SharedJournals.Open(path, readBefore: view), clock: new ManualClock(Now)))
        {
            var plan = first.Plan(Request("dear"));
            Assert.True(first.RecordRefusal(plan, "over budget"));
        }
        using (var second = new SubmissionBatch(JournalFile.ReadOnly(path), view => SharedJournals.Open(path, readBefore: view)))
        {
            var plan = second.Plan(Request("dear"));
            Assert.False(second.RecordRefusal(plan, "over budget"));
        }
        var entry = Assert.Single(JournalFile.ReadOnly(path).Entries());
        Assert.Equal(LedgerState.Refused, entry.State);
        Assert.Contains("\"time\":\"2026-12-01T12:00:00.000Z\"", Assert.Single(File.ReadAllLines(path))); // the batch's clock
    }

    [Fact]
    public void TheLastUserOfAJournalIsTheOneToReportItsEnd()
    {
        var path = Path.Combine(_folder, "last.jsonl");
        var start = new SubmissionBatch(JournalFile.ReadOnly(path), view => SharedJournals.Open(path, readBefore: view));
        start.RecordRefusal(start.Plan(Request("dear")), "over budget");
        var save = new JournalHandles((_, ex) => throw ex);
        Assert.NotNull(save.Get(path));

        start.Dispose();
        Assert.Null(start.ClosedLast);
        var closed = save.Close();

        Assert.Equal(path, Assert.Single(closed).Path);
        Assert.False(BatchReport.Of(closed[0]).Done);
    }

    [Fact]
    public void AVideoEffectRecordedWithoutAnAnswerIsNeverSentAgainAndCountsAsUnknown()
    {
        var effect = VideoEffectRequestFactory.Create(new VideoEffectOptions { Image = "https://example.test/a.png", Template = "french_kiss" });
        var path = Journal(j => j.Append(JournalRecord.Submit(effect, 1, Now)));

        using var batch = new SubmissionBatch(JournalFile.ReadOnly(path));
        var plan = batch.Plan(effect);

        Assert.Equal(PlanAction.KnownUnknown, plan.Action);
        Assert.Contains("carries no request id", batch.JournalNote(plan));
        Assert.Equal(BatchReport.AgentsEndpoint, GenerationEndpoint.VideoEffect.Path);
        var report = BatchReport.Of(JournalFile.ReadOnly(path));
        Assert.Equal(1, report.Count(LedgerState.Unknown));
        Assert.False(report.Done);
    }
}
