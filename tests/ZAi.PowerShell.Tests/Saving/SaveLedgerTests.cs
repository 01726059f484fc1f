using System.Management.Automation;
using ZAi.PowerShell.Journal;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>
/// Save's side of the journal on its own, with real journal files: which inputs it opens a journal for, which task
/// it finds there, the names it keeps for their tasks, and what it records (once, or each time).
/// </summary>
public sealed class SaveLedgerTests : IDisposable
{
    private readonly SaveHarness _h = new();
    private readonly List<string> _warnings = new();

    public void Dispose() => _h.Dispose();

    private SaveLedger Ledger(string folder, FileNameClaims? names = null, StringComparer? folders = null, ManualClock? clock = null) =>
        new(Path.Combine(_h.Root, folder), names ?? new FileNameClaims(), _warnings.Add, folders, clock);

    private static void Append(string journal, JournalRecord record)
    {
        using var file = new FileStream(journal, FileMode.Append);
        file.Write(record.ToLine());
    }

    private static int SavedLines(string journal) => File.ReadAllLines(journal).Count(l => l.Contains("\"type\":\"saved\"", StringComparison.Ordinal));

    private string FileIn(string folder, string name, string text)
    {
        var path = Path.Combine(_h.Root, folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AnInputWithoutAJournalOpensNothingAndRecordsNothing()
    {
        var input = SaveHarness.Image("t1", "cat", "x", journal: null);
        var file = FileIn("out", "t1.png", "x");
        using var ledger = Ledger("out");

        Assert.Null(ledger.Open(input));
        ledger.Record(input, new MediaItem("t1", MediaKind.Image, 0, null, "eA=="), file, "abc");

        Assert.False(ledger.Journaled(input));
        Assert.False(ledger.Expired(input, "t1", "gone"));
        Assert.Empty(ledger.Close());
        Assert.Empty(_warnings);
    }

    [Theory]
    [InlineData("Id")]
    [InlineData("TaskId")]
    public void AJournaledInputFindsItsTaskByItsId(string property)
    {
        var journal = _h.Journal(("t1", "cat"), ("t2", "dog"));
        var input = new PSObject();
        input.Properties.Add(new PSNoteProperty(property, "t2"));
        input.Properties.Add(new PSNoteProperty("Journal", journal));
        using var ledger = Ledger("out");

        var entry = ledger.Open(input);

        Assert.Equal("t2", entry!.TaskId);
        Assert.Equal("dog", entry.Prompt);
        Assert.True(ledger.Journaled(input));
    }

    [Fact]
    public void ATaskTheJournalDoesNotHoldIsNoEntryButItsFilesAreStillRecorded()
    {
        var journal = _h.Journal(("t1", "cat"));
        var input = SaveHarness.Image("t9", "cow", "x", journal);
        var file = FileIn("out", "t9.png", "x");
        using var ledger = Ledger("out");

        Assert.Null(ledger.Open(input));
        ledger.Record(input, new MediaItem("t9", MediaKind.Image, 0, null, "eA=="), file, "abc");

        Assert.Equal(1, SavedLines(journal));
    }

    [Theory]
    [InlineData("out", null, "pic")]      // this folder: the journal's name stays the task's
    [InlineData("other", null, "t1")]     // another folder: the journal's name there says nothing about this one
    [InlineData("OUT", "ignore", "pic")]  // the same folder spelled otherwise, where the file system ignores case
    [InlineData("OUT", "ordinal", "t1")]  // ... and where it does not, another folder
    public void NamesTheJournalGaveToFilesInThisFolderAreKeptForTheirTasks(string folder, string? comparison, string expected)
    {
        var journal = _h.Journal(("t1", "cat"));
        var saved = FileIn("out", "pic.png", "x");
        Append(journal, JournalRecord.Saved("t1", saved, 1, "Image", 0, DateTime.UtcNow));
        var names = new FileNameClaims();
        var folders = comparison is null ? null : comparison == "ignore" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        using var ledger = Ledger(folder, names, folders);

        ledger.Open(SaveHarness.Image("t1", "cat", "x", journal));

        var item = new MediaItem("t1", MediaKind.Image, 0, null, "eA==");
        Assert.Equal(expected, names.Claim(item, ledger.RecordedNames(item))!.BaseName);
    }

    [Fact]
    public void TheJournalsNamesAreReservedBeforeTheFirstClaimNotWhenItOpens()
    {
        // A re-run whose files are all on disk claims nothing: opening the journal must not walk its saved lines.
        var journal = _h.Journal(("t1", "cat"), ("t2", "dog"));
        Append(journal, JournalRecord.Saved("t1", FileIn("out", "pic.png", "x"), 1, "Image", 0, DateTime.UtcNow));
        Append(journal, JournalRecord.Saved("t1", FileIn("other", "far.png", "x"), 1, "Image", 0, DateTime.UtcNow));
        var names = new FileNameClaims();
        using var ledger = Ledger("out", names);

        ledger.Open(SaveHarness.Image("t1", "cat", "x", journal));
        ledger.Open(SaveHarness.Image("t2", "dog", "x", journal));
        Assert.Equal(0, names.Count);

        // Another task's file asks for the name the journal gave t1's: it gets one of its own.
        var other = new MediaItem("t2", MediaKind.Image, 0, null, "eA==", baseName: "pic");
        Assert.Null(ledger.RecordedNames(other));
        Assert.Equal(1, names.Count);
        Assert.NotEqual("pic", names.Claim(other)!.BaseName);
        Assert.Equal(2, names.Count);
        ledger.RecordedNames(new MediaItem("t1", MediaKind.Image, 0, null, "eA=="));
        Assert.Equal(2, names.Count);
    }

    [Fact]
    public void AFileFoundOnDiskIsRecordedOnceAndAFileThisRunWroteEachTimeWithItsHash()
    {
        var journal = _h.Journal(("t1", "cat"));
        var input = SaveHarness.Image("t1", "cat", "x", journal);
        var item = new MediaItem("t1", MediaKind.Image, 0, null, "eA==");
        var file = FileIn("out", "t1.png", "12345");
        using var ledger = Ledger("out");
        ledger.Open(input);

        ledger.Record(input, item, file, null);
        ledger.Record(input, item, file, null);
        Assert.Equal(1, SavedLines(journal));

        ledger.Record(input, item, file, "aa11");
        ledger.Record(input, item, file, "bb22");
        Assert.Equal(3, SavedLines(journal));

        var saved = File.ReadAllLines(journal).Where(l => l.Contains("\"type\":\"saved\"", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain("sha256", saved[0]);
        Assert.Contains("\"sha256\":\"aa11\"", saved[1]);
        Assert.Contains("\"sha256\":\"bb22\"", saved[2]);
        var last = Assert.Single(SaveHarness.Entries(journal).Single().Files); // the journal keeps the latest per file
        Assert.Equal("bb22", last.FileSha256);
        Assert.Equal(5, last.FileLength);
        Assert.Equal(file, last.FilePath);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void AnExpiredTaskIsRecordedOnceAndEveryCallSaysTheInputIsJournaled()
    {
        var journal = _h.Journal(("t1", "cat"));
        var input = SaveHarness.Image("t1", "cat", "x", journal);
        using var ledger = Ledger("out");
        ledger.Open(input);

        Assert.True(ledger.Expired(input, "t1", "first reason"));
        Assert.True(ledger.Expired(input, "t1", "second reason"));

        Assert.Single(File.ReadAllLines(journal), l => l.Contains("\"type\":\"expired\"", StringComparison.Ordinal));
        Assert.Equal("first reason", SaveHarness.Entries(journal).Single().Reason);
    }

    [Fact]
    public void SavedAndExpiredLinesCarryTheTimeOfTheLedgersClock()
    {
        var journal = _h.Journal(("t1", "cat"), ("t2", "dog"));
        var one = SaveHarness.Image("t1", "cat", "x", journal);
        var two = SaveHarness.Image("t2", "dog", "x", journal);
        var clock = new ManualClock(new DateTime(2031, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc));
        using var ledger = Ledger("out", clock: clock);
        ledger.Open(one);
        ledger.Open(two);

        ledger.Record(one, new MediaItem("t1", MediaKind.Image, 0, null, "eA=="), FileIn("out", "t1.png", "12345"), "aa11");
        clock.Advance(TimeSpan.FromMinutes(90));
        ledger.Expired(two, "t2", "gone");

        var lines = File.ReadAllLines(journal);
        Assert.Contains("\"time\":\"2031-02-03T04:05:06.789Z\"", Assert.Single(lines, l => l.Contains("\"type\":\"saved\"", StringComparison.Ordinal)));
        Assert.Contains("\"time\":\"2031-02-03T05:35:06.789Z\"", Assert.Single(lines, l => l.Contains("\"type\":\"expired\"", StringComparison.Ordinal)));
    }
}
