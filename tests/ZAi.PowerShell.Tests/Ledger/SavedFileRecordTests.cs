using System.Text;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Transfer;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>What an entry keeps of a saved line holds its SHA-256 as 32 bytes and gives back the hex a journal writes.</summary>
public sealed class SavedFileRecordTests
{
    // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
    private const string Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void HexDigitsBecomeTheirBitsAndBack()
    {
        Assert.True(Sha256Value.TryParse(Abc, out var value));
        Assert.True(Sha256Value.TryParse(Abc.ToUpperInvariant(), out var upper));

        Assert.Equal(Abc, value.ToString());
        Assert.Equal(Abc, upper.ToString());
        Assert.Equal(Abc, FileSha256.Hex(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes("abc"))));
        Assert.Equal("ba7816bf", FileSha256.Hex(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes("abc")), 4));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ba7816bf")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    [InlineData("ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a ")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2001:ad")]
    public void AnythingButSixtyFourHexDigitsIsNoHash(string? text)
    {
        Assert.False(Sha256Value.TryParse(text, out _));
    }

    [Fact]
    public void ASavedLineKeptByItsEntryGivesItsHashBackInLowerCase()
    {
        var line = Encoding.UTF8.GetString(JournalRecord.Saved("task-1", "/media/a.mp4", 3, "Video", 1, Now, Abc.ToUpperInvariant()).ToLine()).TrimEnd('\n');

        var kept = SavedFileRecord.From(JournalRecord.Parse(line, 7, out var problem)!);

        Assert.Null(problem);
        Assert.Equal(Abc, kept.FileSha256);
        Assert.Equal(("/media/a.mp4", 3L, "Video", 1, 7), (kept.FilePath, kept.FileLength, kept.FileKind, kept.FileIndex, kept.Line));
    }

    [Theory]
    [InlineData("not-a-hash")]
    [InlineData("packed")]      // the text of the mark that says "held as bits": it is the mark only by reference
    [InlineData(null)]
    public void AHashThatIsNotSixtyFourHexDigitsIsKeptAsWritten(string? odd)
    {
        var kept = SavedFileRecord.From(JournalRecord.Saved("task-1", "/media/a.mp4", 3, "Video", 0, Now, odd));

        Assert.Equal(odd, kept.FileSha256);
    }

    [Theory]
    [InlineData("/media/run 1/", "/media/run 1/fox.cover.jpg", "fox.cover.jpg")]
    [InlineData(@"C:\Media\", @"C:\Media\fox.mp4", "fox.mp4")]
    [InlineData("/other/", "/media/fox.mp4", "/media/fox.mp4")]          // not its folder: kept whole
    [InlineData("/media/fox.mp4", "/media/fox.mp4", "/media/fox.mp4")]   // nothing after the folder: kept whole
    [InlineData(null, "fox.mp4", "fox.mp4")]
    public void APathIsHeldAsItsSharedFolderAndItsTailAndGivenBackAsRecorded(string? folder, string path, string tail)
    {
        var kept = new SavedFileRecord(path, 3, "Video", 0, null, 1, folder);

        Assert.Equal(path, kept.FilePath);
        Assert.Equal(tail, kept.PathTail);
        Assert.True(kept.IsAt(path));
        Assert.False(kept.IsAt(path + "x"));
        Assert.False(kept.IsAt("x" + path));
        Assert.False(kept.IsAt(path.Substring(0, path.Length - 1) + "~"));
        Assert.False(kept.IsAt(null));
    }

    [Theory]
    [InlineData("/media/", "/media/task-1.mp4", "task-1.mp4")]
    [InlineData("/media/", "/media/task-1.cover.jpg", "task-1.cover.jpg")]
    [InlineData(null, "task-1.png", "task-1.png")]
    [InlineData("/media/", "/media/task-1.gif", "task-1.gif")]                 // not a common suffix: its own string
    [InlineData("/media/", "/media/task-1.mp4.part", "task-1.mp4.part")]
    [InlineData("/media/", "/media/task-12.mp4", "task-12.mp4")]               // another id that starts like it
    [InlineData("/media/", "/media/fox.mp4", "fox.mp4")]
    [InlineData("/media/", "/media/task-1", "task-1")]
    [InlineData("/other/", "/media/task-1.mp4", "/media/task-1.mp4")]
    public void AFileNamedByItsTaskIdIsHeldAsTheIdAndItsSuffixAndGivenBackAsRecorded(string? folder, string path, string tail)
    {
        var kept = new SavedFileRecord(path, 3, "Video", 0, null, 1, folder, "task-1");

        Assert.Equal(path, kept.FilePath);
        Assert.Equal(tail, kept.PathTail);
        Assert.True(kept.IsAt(path));
        Assert.False(kept.IsAt(path + "x"));
        Assert.False(kept.IsAt("x" + path));
        Assert.False(kept.IsAt(path.Substring(0, path.Length - 1)));
        Assert.False(kept.IsAt(path.Substring(0, path.Length - 1) + "~"));
        Assert.Equal(!path.Contains("task-1"), kept.IsAt(path.Replace("task-1", "task-2")));
        Assert.False(kept.IsAt(null));
    }

    /// <summary>A journal whose task "task-1" saved these files (one line each, of this kind), read back; its folder is removed.</summary>
    private static LedgerEntry SavedEntry(string kind, string[] files)
    {
        var folder = Path.Combine(Path.GetTempPath(), "zai-savedrecord-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "journal.jsonl");
            using (var journal = JournalFile.OpenForWriting(path))
            {
                var intent = JournalRecord.Submit(ZAi.PowerShell.Submitting.GenerationRequestFactory.Video(new ZAi.PowerShell.Submitting.VideoGenerationOptions { Prompt = "fox" }), 1, Now);
                journal.Append(intent);
                journal.Append(JournalRecord.Accepted(intent, "task-1", Now));
                for (var i = 0; i < files.Length; i++) journal.Append(JournalRecord.Saved("task-1", files[i], 3, kind, i, Now));
            }

            using var read = JournalFile.ReadOnly(path);
            return read.FindTask("task-1")!;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AJournalsSavedLinesShareTheirFolderAndKeepTheirPathsExactly()
    {
        var files = new[] { "/media/a/fox.mp4", "/media/a/fox.cover.jpg", @"D:\clips\owl.mp4", "/media/a/b/owl.cover.jpg", "/media/a/cat.mp4" };

        var kept = SavedEntry("Image", files).Files;

        Assert.Equal(files, kept.Select(f => f.FilePath));
        Assert.Equal(new[] { "fox.mp4", "fox.cover.jpg", "owl.mp4", "owl.cover.jpg", "cat.mp4" }, kept.Select(f => f.PathTail));
    }

    [Fact]
    public void AJournalsFileNamedByItsTaskIdHoldsTheEntrysOwnTaskIdString()
    {
        var files = new[] { "/media/a/task-1.mp4", "/media/a/task-1.cover.jpg", "/media/a/fox.mp4" };

        var entry = SavedEntry("Video", files);

        Assert.Equal(files, entry.Files.Select(f => f.FilePath));
        Assert.Same(entry.TaskId, entry.Files[0].SharedTaskId);
        Assert.Same(entry.TaskId, entry.Files[1].SharedTaskId);
        Assert.Null(entry.Files[2].SharedTaskId);
    }
}
