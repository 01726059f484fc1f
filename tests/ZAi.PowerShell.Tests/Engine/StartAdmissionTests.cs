using System.Management.Automation;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Tests.TaskKinds;
using Xunit;

namespace ZAi.PowerShell.Tests.Engine;

/// <summary>
/// The Start-* cmdlets' decision per request, without a runspace: journal plan, budget, ShouldProcess (a fake that
/// approves, declines or records -WhatIf), commit and the journal's shared spend, over real journal files. Every
/// write goes to a sink only the test's thread may use, as only the cmdlet's thread may write.
/// </summary>
public sealed class StartAdmissionTests : IDisposable
{
    private const string Caption = "Submit a Z.AI generation task: ";
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Uri BaseUri = new("http://127.0.0.1:9/api/");
    private static readonly PriceTable Table = PriceTable.Parse("""{ "date": "2026-07-01", "source": "the test table", "prices": { "cogvideox-3": 0.2 } }""", "test");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-admission-" + Guid.NewGuid().ToString("N"));
    private readonly ThreadCheckingSink _sink = new();
    private readonly List<SubmissionBatch> _batches = new();
    private bool _whatIf;

    public StartAdmissionTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        foreach (var batch in _batches) batch.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string JournalPath() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");

    /// <summary>A journal in which an earlier run's request of each prompt was accepted as the task given.</summary>
    private string Accepted(params (string Prompt, string TaskId)[] tasks)
    {
        var path = JournalPath();
        using var writer = JournalFile.OpenForWriting(path);
        foreach (var (prompt, taskId) in tasks)
        {
            var intent = JournalRecord.Submit(Video(prompt), 1, Now);
            writer.Append(intent);
            writer.Append(JournalRecord.Accepted(intent, taskId, Now));
        }
        return path;
    }

    private static GenerationRequest Video(string prompt) =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, RequestId = "req-" + prompt.Replace(' ', '-') });

    /// <summary>A batch over <paramref name="journal"/> as the cmdlet opens it (no writer under -WhatIf), or without one.</summary>
    private SubmissionBatch Batch(string? journal = null)
    {
        var batch = journal is null
            ? new SubmissionBatch()
            : new SubmissionBatch(JournalFile.ReadOnly(journal), _whatIf ? null : view => SharedJournals.Open(journal, readBefore: view));
        _batches.Add(batch);
        return batch;
    }

    private StartAdmission Admission(SubmissionBatch batch, BatchCosts costs, string? journal = null) =>
        new(batch, costs, BaseUri, _sink, () => _whatIf, journal, costs.Maximum, record => throw new TerminatingError(record));

    [Fact]
    public void AnApprovedRequestIsPricedConfirmedAndHandedOnToBeSent()
    {
        var costs = new BatchCosts(null, Table);
        var admission = Admission(Batch(), costs);

        var plan = admission.Admit(Video("a fox"), "Prompt 'a fox': ", "a fox");

        Assert.NotNull(plan);
        Assert.Equal(PlanAction.Send, plan!.Action);
        Assert.Equal("req-a-fox", plan.Request.RequestId);
        var asked = Assert.Single(_sink.Inner.ShouldProcessCalls);
        Assert.StartsWith(Caption + "Submitting a billed cogvideox-3 video generation task: POST http://127.0.0.1:9/api/paas/v4/videos/generations {", asked);
        Assert.Contains("\"prompt\":\"a fox\"", asked);
        Assert.EndsWith("} Estimated price: $0.20 (price table of 2026-07-01).", asked);
        Assert.Equal(0.2m, costs.Spent);
        Assert.Empty(_sink.Warnings);
        _sink.AssertOneThread();
    }

    [Fact]
    public void AnAdmittedPlanCarriesItsInputRecordForErrorsAboutIt()
    {
        var row = new { Prompt = "a fox", Row = 3 };
        var admission = Admission(Batch(), new BatchCosts(null, Table));

        var plan = admission.Admit(Video("a fox"), "Row 3 of the input (prompt 'a fox'): ", row);

        Assert.Same(row, plan!.Target);
    }

    [Fact]
    public void ARequestDeclinedAtConfirmIsNotSentNotCountedAndCreatesNoJournal()
    {
        var journal = JournalPath();
        var costs = new BatchCosts(null, Table);
        var admission = Admission(Batch(journal), costs, journal);
        _sink.Inner.Approve = false;

        var plan = admission.Admit(Video("a fox"), string.Empty, "a fox");

        Assert.Null(plan);
        Assert.EndsWith(" (journal: not in the journal yet) Estimated price: $0.20 (price table of 2026-07-01).", Assert.Single(_sink.Inner.ShouldProcessCalls));
        Assert.Equal(0, costs.NewTasks);
        Assert.Equal(0m, costs.Spent);
        Assert.False(File.Exists(journal));
        _sink.AssertOneThread();
    }

    [Fact]
    public void WhatIfSaysTheRequestCountsItsPriceAndSendsNothing()
    {
        _whatIf = true;
        _sink.Inner.Approve = false;   // PowerShell answers false under -WhatIf after printing the line
        var costs = new BatchCosts(null, Table);
        var admission = Admission(Batch(), costs);

        Assert.Null(admission.Admit(Video("a fox"), string.Empty, "a fox"));
        admission.End();

        // The price stays in the -WhatIf total: the closing "What if" line says what the run would cost.
        Assert.Equal(2, _sink.Inner.ShouldProcessCalls.Count);
        Assert.Equal(": Estimated cost: $0.20 for 1 new task(s). Prices: the price table of 2026-07-01 from the test table.", _sink.Inner.ShouldProcessCalls[1]);
        Assert.Empty(_sink.Verbose);
        _sink.AssertOneThread();
    }

    [Fact]
    public void ARequestOverTheBudgetIsRefusedWithoutAskingAndIsTheEndsErrorWithoutAJournal()
    {
        var costs = new BatchCosts(0.3m, Table);
        var admission = Admission(Batch(), costs);

        Assert.NotNull(admission.Admit(Video("first"), string.Empty, "first"));
        Assert.Null(admission.Admit(Video("second"), string.Empty, "second"));

        const string Refusal = "Video task for 'second': Not submitted: this cogvideox-3 task, estimated $0.20, would take the run's estimated spend from $0.20 to $0.40, over -MaximumCost $0.30.";
        Assert.Single(_sink.Inner.ShouldProcessCalls);
        Assert.Equal(new[] { Refusal }, _sink.Warnings);
        var error = Assert.Single(admission.Refusals);
        Assert.Equal("ZAiBudgetExceeded", error.FullyQualifiedErrorId);
        Assert.Equal("second", error.TargetObject);
        Assert.Equal(Refusal, error.ErrorDetails.Message);
        _sink.AssertOneThread();
    }

    [Fact]
    public void ARefusalIsRecordedInTheJournalOnceAndALaterRunSaysItAtItsEnd()
    {
        var journal = JournalPath();
        var label = "Row 2 of the input (prompt 'dear'): ";
        var first = Admission(Batch(journal), new BatchCosts(0.1m, Table), journal);

        Assert.Null(first.Admit(Video("dear"), label, "dear"));
        _batches[0].Dispose();

        var refusal = label + "Not submitted: this cogvideox-3 task, estimated $0.20, would take the run's estimated spend from $0.00 to $0.20, over -MaximumCost $0.10.";
        Assert.Equal(new[] { refusal + " The journal records it; a later run with a higher -MaximumCost submits it." }, _sink.Warnings);
        Assert.Empty(first.Refusals);
        using (var read = JournalFile.ReadOnly(journal))
        {
            var entry = Assert.Single(read.Entries());
            Assert.Equal(LedgerState.Refused, entry.State);
            Assert.Equal("req-dear", entry.RequestId);
        }

        var second = Admission(Batch(journal), new BatchCosts(0.1m, Table), journal);
        Assert.Null(second.Admit(Video("dear"), label, "dear"));
        second.End();

        Assert.Equal(new[]
        {
            refusal + " The journal records it; a later run with a higher -MaximumCost submits it.",
            refusal + " (refused in an earlier run too).",
        }, _sink.Warnings);
        Assert.Empty(_sink.Inner.ShouldProcessCalls);
        // The first run's refusal line only: a refusal already recorded is not written again.
        Assert.Single(File.ReadAllLines(journal));
        _sink.AssertOneThread();
    }

    [Fact]
    public void TheJournalsSharedSpendHasTheLastWord()
    {
        var journal = JournalPath();
        // Another command of the process writing the same journal has set $0.20 aside already.
        using var other = SharedJournals.Open(journal);
        Assert.NotNull(other.Journal.TryReserve(0.2m, 0.3m, Table.Estimate, out _));
        var costs = new BatchCosts(0.3m, Table);
        var admission = Admission(Batch(journal), costs, journal);

        Assert.Null(admission.Admit(Video("late"), string.Empty, "late"));

        Assert.Single(_sink.Inner.ShouldProcessCalls);
        Assert.Equal(new[] { "Video task for 'late': Not submitted: this cogvideox-3 task, estimated $0.20, would take the journal's estimated spend, shared by every command writing it, from $0.20 to $0.40, over -MaximumCost $0.30. The journal records it; a later run with a higher -MaximumCost submits it." }, _sink.Warnings);
        Assert.Equal(0, costs.NewTasks);
        Assert.Equal(1, costs.RefusedTasks);
        _sink.AssertOneThread();
    }

    [Fact]
    public void KnownOutcomesOfEarlierRunsAreNotAskedAboutAndSaidAtTheEnd()
    {
        var journal = Accepted(("done before", "task-done"), ("failed before", "task-failed"));
        using (var writer = JournalFile.OpenForWriting(journal)) writer.Append(JournalRecord.Finished("task-failed", false, "content rejected", null, Now));
        var costs = new BatchCosts(null, Table);
        var admission = Admission(Batch(journal), costs, journal);

        var adopted = admission.Admit(Video("done before"), string.Empty, "done before");
        Assert.Null(admission.Admit(Video("failed before"), "Prompt 'failed before': ", "failed before"));
        Assert.Empty(_sink.Warnings);
        admission.End();

        Assert.NotNull(adopted);
        Assert.True(adopted!.AlreadyAccepted);
        Assert.Empty(_sink.Inner.ShouldProcessCalls);
        Assert.Equal("Video request 'req-done-before' for 'done before': already submitted as task 'task-done' (Submitted, journal line 1); not submitted again.", _sink.Verbose[0]);
        Assert.Equal(new[] { "Prompt 'failed before': its task 'task-failed' failed in an earlier run (content rejected; journal line 3); not submitted again: -RetryFailed submits it once more." }, _sink.Warnings);
        Assert.Equal(0, costs.NewTasks);
        _sink.AssertOneThread();
    }

    [Fact]
    public void UnderWhatIfAKnownOutcomeIsAWhatIfLine()
    {
        var journal = Accepted(("done before", "task-done"));
        _whatIf = true;
        var admission = Admission(Batch(journal), new BatchCosts(null, Table), journal);

        Assert.Null(admission.Admit(Video("done before"), string.Empty, "done before"));

        Assert.Equal(new[] { ": Video request 'req-done-before' for 'done before': already submitted as task 'task-done' (Submitted, journal line 1); not submitted again." }, _sink.Inner.ShouldProcessCalls);
        Assert.Empty(_sink.Verbose);
        _sink.AssertOneThread();
    }

    [Fact]
    public void BlankLinesAreSaidOnceAtTheEndWithTheirRows()
    {
        var admission = Admission(Batch(), new BatchCosts(null, Table));

        admission.Blank(2);
        admission.Blank(5);
        Assert.Empty(_sink.Warnings);
        admission.End();

        Assert.Equal(new[] { "Skipped 2 blank input line(s) (row 2, 5): a blank line is not a prompt, and nothing was sent for it." }, _sink.Warnings);
        Assert.Equal(new[] { "Estimated cost: $0.00 for 0 new task(s). Prices: the price table of 2026-07-01 from the test table." }, _sink.Verbose);
        _sink.AssertOneThread();
    }

    [Fact]
    public void AJournalThatCannotBeOpenedForWritingIsATerminatingErrorNamingIt()
    {
        var journal = Path.Combine(_folder, "missing-folder", "journal.jsonl");
        var batch = new SubmissionBatch(null, view => SharedJournals.Open(journal, readBefore: view));
        _batches.Add(batch);
        var admission = Admission(batch, new BatchCosts(null, Table), "missing-folder/journal.jsonl");

        var error = Assert.Throws<TerminatingError>(() => admission.Admit(Video("a fox"), string.Empty, "a fox"));

        Assert.Equal("ZAiInvalidJournal", error.Record.FullyQualifiedErrorId);
        Assert.Equal("missing-folder/journal.jsonl", error.Record.TargetObject);
        Assert.Equal("Give a -Journal path in a folder you can write.", error.Record.ErrorDetails.RecommendedAction);
        _sink.AssertOneThread();
    }
}
