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
    public void HexDigitsBecomeTheirBytesAndBack()
    {
        var bytes = FileSha256.Bytes(Abc)!;

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes("abc")), bytes);
        Assert.Equal(Abc, FileSha256.Hex(bytes));
        Assert.Equal(bytes, FileSha256.Bytes(Abc.ToUpperInvariant()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ba7816bf")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    [InlineData("ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a ")]
    public void AnythingButSixtyFourHexDigitsHasNoBytes(string? text)
    {
        Assert.Null(FileSha256.Bytes(text));
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
    [InlineData(null)]
    public void AHashThatIsNotSixtyFourHexDigitsIsKeptAsWritten(string? odd)
    {
        var kept = SavedFileRecord.From(JournalRecord.Saved("task-1", "/media/a.mp4", 3, "Video", 0, Now, odd));

        Assert.Equal(odd, kept.FileSha256);
    }
}
