using ZAi.PowerShell.Journal;
using System.Text;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Submitting;

/// <summary>The journal on real files: what is written, what is read back, torn lines, versions, the lock.</summary>
public sealed class JournalFileTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-journal-" + Guid.NewGuid().ToString("N"));

    public JournalFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl");

    private static GenerationRequest Request(string prompt, string? image = null) =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, Images = image is null ? Array.Empty<string>() : new[] { image } });

    [Fact]
    public void ARecordedRequestAndItsTaskAreFoundAgainAfterReopening()
    {
        var path = NewPath();
        var request = Request("a fox");
        using (var journal = JournalFile.OpenForWriting(path))
        {
            var intent = JournalRecord.Submit(request, 1, Now);
            journal.Append(intent);
            journal.Append(JournalRecord.Accepted(intent, "task-1", Now.AddSeconds(1)));
        }

        using var reopened = JournalFile.OpenForWriting(path);
        var entry = reopened.Find(request.Fingerprint(), 1);
        Assert.NotNull(entry);
        Assert.Equal(request.RequestId, entry!.RequestId);
        Assert.Equal("task-1", entry.TaskId);
        Assert.Equal(1, entry.Line);
        Assert.Null(reopened.Find(request.Fingerprint(), 2));
        Assert.Empty(reopened.Warnings);
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"v\":2,\"type\":\"submit\",\"time\":\"2026-12-01T12:00:00.000Z\",\"requestId\":\"" + request.RequestId + "\"", lines[0]);
        Assert.Contains("\"taskId\":\"task-1\"", lines[1]);
        Assert.Contains("\"prompt\":\"a fox\"", lines[1]);
    }

    [Fact]
    public void ARequestWithoutAnAcceptedLineHasNoTask()
    {
        var path = NewPath();
        var request = Request("no answer");
        using (var journal = JournalFile.OpenForWriting(path)) journal.Append(JournalRecord.Submit(request, 1, Now));

        using var reopened = JournalFile.ReadOnly(path);
        var entry = reopened.Find(request.Fingerprint(), 1);
        Assert.NotNull(entry);
        Assert.Null(entry!.TaskId);
    }

    [Fact]
    public void ATornLastLineIsReportedIgnoredAndEndedBeforeTheNextRecord()
    {
        var path = NewPath();
        var request = Request("kept");
        using (var journal = JournalFile.OpenForWriting(path)) journal.Append(JournalRecord.Submit(request, 1, Now));
        File.AppendAllText(path, "{\"v\":1,\"type\":\"acc");

        using (var journal = JournalFile.OpenForWriting(path))
        {
            var warning = Assert.Single(journal.Warnings);
            Assert.Contains("(line 2) is incomplete", warning);
            Assert.NotNull(journal.Find(request.Fingerprint(), 1));
            journal.Append(JournalRecord.Submit(Request("next"), 1, Now));
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal("{\"v\":1,\"type\":\"acc", lines[1]);
        Assert.Contains("\"prompt\":\"next\"", lines[2]);
        using var again = JournalFile.ReadOnly(path);
        Assert.Equal("Line 2 of the journal '" + path + "' is ignored: it is not valid JSON.", Assert.Single(again.Warnings));
        Assert.NotNull(again.Find(Request("next").Fingerprint(), 1));
    }

    [Fact]
    public void ALineOfAnotherFormatVersionIsSkippedWithAWarning()
    {
        var path = NewPath();
        File.WriteAllText(path, "{\"v\":3,\"type\":\"submit\",\"requestId\":\"r\",\"key\":\"k\",\"occurrence\":1}\n{\"hello\":1}\n");

        using var journal = JournalFile.ReadOnly(path);

        Assert.Equal(2, journal.Warnings.Count);
        Assert.Contains("format version 3, and this version of the module reads versions 1 to 2", journal.Warnings[0]);
        Assert.Contains("Line 2", journal.Warnings[1]);
        Assert.Contains("no format version", journal.Warnings[1]);
        Assert.Equal(0, journal.Count);
    }

    [Fact]
    public void ASecondWriterIsRefusedWhileTheFirstHoldsTheLock()
    {
        var path = NewPath();
        using var first = JournalFile.OpenForWriting(path);

        var error = Assert.Throws<JournalBusyException>(() => JournalFile.OpenForWriting(path));

        Assert.Contains("is in use by another process", error.Message);
        Assert.Contains(path + ".lock", error.Message);
        first.Dispose();
        using var afterwards = JournalFile.OpenForWriting(path);
        Assert.Equal(0, afterwards.Count);
    }

    [Fact]
    public void InlineImagesAreRecordedByHashNeverTheirBytes()
    {
        var image = "data:image/png;base64," + Convert.ToBase64String(Encoding.ASCII.GetBytes(new string('x', 300)));
        var record = JournalRecord.Submit(Request("with an image", image), 1, Now);

        var line = Encoding.UTF8.GetString(record.ToLine());

        Assert.DoesNotContain("base64", line);
        Assert.Matches("\"image_url\":\\[?\"sha256:[0-9a-f]{64}\"", line);
        Assert.DoesNotContain("request_id", line);
        Assert.EndsWith("\n", line);
    }

    [Fact]
    public void ReadingAMissingJournalGivesAnEmptyOneAndCreatesNothing()
    {
        var path = NewPath();

        using var journal = JournalFile.ReadOnly(path);

        Assert.Equal(0, journal.Count);
        Assert.False(File.Exists(path));
        Assert.Throws<InvalidOperationException>(() => journal.Append(JournalRecord.Submit(Request("x"), 1, Now)));
    }
}
