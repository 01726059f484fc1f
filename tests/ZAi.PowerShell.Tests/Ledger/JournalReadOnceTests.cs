using System.Text;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>
/// A re-run reads its journal once and line by line (issue 26): the view a Start read becomes its writer when the
/// file still starts with what it read, reading on only from where it stopped; a file changed under it is read afresh.
/// </summary>
public sealed class JournalReadOnceTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-readonce-" + Guid.NewGuid().ToString("N"));

    public JournalReadOnceTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");

    private static GenerationRequest Request(string prompt) => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt });

    private static void Accept(JournalFile journal, string prompt, string taskId)
    {
        var intent = JournalRecord.Submit(Request(prompt), 1, Now);
        journal.Append(intent);
        journal.Append(JournalRecord.Accepted(intent, taskId, Now));
    }

    private static string[] States(JournalFile journal) => journal.Entries().Select(e => $"{e.Prompt}:{e.State}:{e.TaskId}:{e.Line}").ToArray();

    [Fact]
    public void TheReadViewBecomesTheWriterAndReadsOnlyTheLinesWrittenSince()
    {
        var path = NewPath();
        using (var first = JournalFile.OpenForWriting(path)) Accept(first, "one", "t1");
        var view = JournalFile.ReadOnly(path);
        // Another process's run appends after the view was read.
        using (var other = JournalFile.OpenForWriting(path)) Accept(other, "two", "t2");

        using var writer = JournalFile.OpenForWriting(path, readBefore: view);

        Assert.Same(view, writer);
        Assert.Equal(new[] { "one:Submitted:t1:1", "two:Submitted:t2:3" }, States(writer));
        writer.Append(JournalRecord.Finished("t2", true, null, null, Now));
        Assert.Equal(LedgerState.Succeeded, writer.FindTask("t2")!.State);
        Assert.Equal(5, File.ReadAllLines(path).Length);
        Assert.Empty(writer.Warnings);
    }

    [Fact]
    public void AJournalChangedUnderTheViewIsReadAfresh()
    {
        var path = NewPath();
        using (var first = JournalFile.OpenForWriting(path)) Accept(first, "one", "t1");
        var view = JournalFile.ReadOnly(path);
        var length = new FileInfo(path).Length;
        // Replaced by a journal of another batch, as long or longer: its start is not what the view read.
        File.Delete(path);
        using (var other = JournalFile.OpenForWriting(path)) Accept(other, "eno", "t9");
        Assert.Equal(length, new FileInfo(path).Length);

        using var writer = JournalFile.OpenForWriting(path, readBefore: view);

        Assert.NotSame(view, writer);
        Assert.Equal(new[] { "eno:Submitted:t9:1" }, States(writer));
    }

    [Fact]
    public void AViewThatEndedInATornLineIsReadAfreshOnceTheFileGrew()
    {
        var path = NewPath();
        using (var first = JournalFile.OpenForWriting(path)) Accept(first, "one", "t1");
        File.AppendAllText(path, "{\"v\":2,\"type\":\"subm");
        var view = JournalFile.ReadOnly(path);
        Assert.Contains("(line 3) is incomplete", Assert.Single(view.Warnings));
        using (var other = JournalFile.OpenForWriting(path)) Accept(other, "two", "t2");

        using var writer = JournalFile.OpenForWriting(path, readBefore: view);

        Assert.NotSame(view, writer);
        Assert.Equal(new[] { "one:Submitted:t1:1", "two:Submitted:t2:4" }, States(writer));
    }

    [Fact]
    public void AJournalOfManyChunksReadsEveryLineAndSkipsAnOverlongOneInTheMiddle()
    {
        var path = NewPath();
        using (var journal = JournalFile.OpenForWriting(path))
        {
            for (var i = 0; i < 300; i++) Accept(journal, $"prompt {i} " + new string('x', 200), $"t{i}");
        }
        var before = new FileInfo(path).Length;
        Assert.True(before > 3 * 64 * 1024, $"the journal is {before} bytes: it must span several read chunks");
        File.AppendAllText(path, "{\"v\":2,\"pad\":\"" + new string('y', JournalFile.MaxLineBytes) + "\"}\n");
        using (var journal = JournalFile.OpenForWriting(path)) Accept(journal, "last", "t-last");

        using var read = JournalFile.ReadOnly(path);

        Assert.Equal(301, read.Count);
        Assert.Equal("prompt 299 " + new string('x', 200), read.FindTask("t299")!.Prompt);
        Assert.Equal(602, read.FindTask("t-last")!.Line);
        Assert.StartsWith("Line 601 of the journal", Assert.Single(read.Warnings));
    }

    [Fact]
    public void ABatchThatOpensItsWriterHoldsTheJournalOnce()
    {
        var path = NewPath();
        using (var first = JournalFile.OpenForWriting(path)) Accept(first, "one", "t1");
        var view = JournalFile.ReadOnly(path);
        using var batch = new SubmissionBatch(view, v => SharedJournals.Open(path, readBefore: v));
        var plan = batch.Plan(Request("one"));
        Assert.Same(view, batch.View);

        var committed = batch.Commit(plan);

        Assert.Same(view, batch.View);
        Assert.Equal(PlanAction.Adopt, committed.Action);
        Assert.Equal("t1", committed.Recorded!.TaskId);
    }

    [Fact]
    public async Task AnAdoptedTaskCarriesTheJournalsOwnIdStringSoDownstreamKeepsNoSecondCopy()
    {
        var path = NewPath();
        using (var first = JournalFile.OpenForWriting(path)) Accept(first, "one", "t1");
        var view = JournalFile.ReadOnly(path);
        using var batch = new SubmissionBatch(view, v => SharedJournals.Open(path, readBefore: v));
        var committed = batch.Commit(batch.Plan(Request("one")));

        var result = await batch.SubmitAsync(committed, CancellationToken.None);

        Assert.Equal(PlanAction.Adopt, committed.Action);
        Assert.Same(committed.Recorded!.TaskId, result.Id);
        Assert.Equal(("Processing", "PROCESSING", committed.Request.RequestId), (result.Status, result.TaskStatus, result.RequestId));
        Assert.Equal((committed.Request.Model, "Video", 0, 0, 0), (result.Model, result.Kind, result.VideoResult.Count, result.ImageResult.Count, result.AdditionalProperties.Count));
    }
}
