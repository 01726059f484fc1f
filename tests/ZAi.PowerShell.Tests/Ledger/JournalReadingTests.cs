using System.Text;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>A journal with odd lines (hand edits, other tools, a later version) still reads: each bad line is skipped with a warning naming it.</summary>
public sealed class JournalReadingTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-reading-" + Guid.NewGuid().ToString("N"));

    public JournalReadingTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Line(JournalRecord record) => Encoding.UTF8.GetString(record.ToLine()).TrimEnd('\n');

    private static (string Submit, string Accepted) Accepted(string prompt, string taskId)
    {
        var intent = JournalRecord.Submit(GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt }), 1, Now);
        return (Line(intent), Line(JournalRecord.Accepted(intent, taskId, Now)));
    }

    private JournalFile Read(string text, bool bom = false)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(path, bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray() : bytes);
        return JournalFile.ReadOnly(path);
    }

    [Theory]
    [InlineData("\"occurrence\":1", "\"occurrence\":1.5", "'occurrence' (1.5) is not an occurrence")]
    [InlineData("\"occurrence\":1", "\"occurrence\":99999999999", "'occurrence' (99999999999) is not an occurrence")]
    [InlineData("\"occurrence\":1", "\"occurrence\":\"1\"", "'occurrence' (\"1\") is not an occurrence")]
    [InlineData("\"occurrence\":1", "\"occurrence\":-2", "'occurrence' (-2) is not an occurrence")]
    public void ALineWithAFieldOfTheWrongShapeIsSkippedAndTheRestReads(string field, string odd, string problem)
    {
        var a = Accepted("first", "t1");
        var b = Accepted("second", "t2");
        Assert.Contains(field, b.Accepted);
        using var journal = Read(string.Join("\n", a.Submit, a.Accepted, b.Submit, b.Accepted.Replace(field, odd)) + "\n");

        var warning = Assert.Single(journal.Warnings);
        Assert.StartsWith("Line 4 of the journal", warning);
        Assert.Contains(problem, warning);
        Assert.Equal(new[] { "first:Submitted:t1", "second:Recorded:" }, journal.Entries().Select(e => $"{e.Prompt}:{e.State}:{e.TaskId}").ToArray());
    }

    [Fact]
    public void AFileLengthOfTheWrongShapeIsSkipped()
    {
        var a = Accepted("first", "t1");
        var saved = Line(JournalRecord.Saved("t1", "/x/a.mp4", 10, "Video", 0, Now)).Replace("\"length\":10", "\"length\":10.5");
        using var journal = Read(string.Join("\n", a.Submit, a.Accepted, saved) + "\n");

        Assert.Contains("Line 3 of the journal", Assert.Single(journal.Warnings));
        Assert.Equal(LedgerState.Submitted, journal.FindTask("t1")!.State);
    }

    [Fact]
    public void AByteOrderMarkDoesNotCostTheFirstLine()
    {
        var a = Accepted("first", "t1");
        using var journal = Read(a.Submit + "\n", bom: true);

        Assert.Empty(journal.Warnings);
        var entry = Assert.Single(journal.Entries());
        Assert.Equal(LedgerState.Recorded, entry.State);
        Assert.Equal("first", entry.Prompt);
    }

    [Fact]
    public void WindowsLineEndingsRead()
    {
        var a = Accepted("first", "t1");
        using var journal = Read(a.Submit + "\r\n" + a.Accepted + "\r\n");

        Assert.Empty(journal.Warnings);
        Assert.Equal(LedgerState.Submitted, Assert.Single(journal.Entries()).State);
    }

    [Fact]
    public void AMultiMegabyteLineIsSkippedWithoutParsingIt()
    {
        var a = Accepted("first", "t1");
        var huge = "{\"v\":2,\"type\":\"submit\",\"prompt\":\"" + new string('x', JournalFile.MaxLineBytes) + "\"}";
        using var journal = Read(string.Join("\n", a.Submit, huge, a.Accepted) + "\n");

        var warning = Assert.Single(journal.Warnings);
        Assert.StartsWith("Line 2 of the journal", warning);
        Assert.Contains("bytes long", warning);
        Assert.Equal(LedgerState.Submitted, Assert.Single(journal.Entries()).State);
    }

    [Fact]
    public void ATaskIdOfTheWrongTypeIsSkipped()
    {
        var a = Accepted("first", "t1");
        using var journal = Read(string.Join("\n", a.Submit, a.Accepted.Replace("\"taskId\":\"t1\"", "\"taskId\":17")) + "\n");

        Assert.Contains("Line 2 of the journal", Assert.Single(journal.Warnings));
        Assert.Equal(LedgerState.Recorded, Assert.Single(journal.Entries()).State);
    }

    [Fact]
    public void AJournalWithOddLinesStillOpensForWritingAndAppendsOnANewLine()
    {
        var a = Accepted("first", "t1");
        var path = Path.Combine(_folder, "w.jsonl");
        File.WriteAllText(path, a.Submit + "\n" + a.Accepted.Replace("\"occurrence\":1", "\"occurrence\":1.5") + "\n");
        using (var journal = JournalFile.OpenForWriting(path))
        {
            Assert.Single(journal.Warnings);
            journal.Append(JournalRecord.Unknown(JournalRecord.Submit(GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "first" }), 1, Now), "lost", Now));
        }
        Assert.Equal(3, File.ReadAllLines(path).Length);
    }
}
