using System.Text;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Names for hostile or unlucky task ids: collisions, long ids, invisible characters, Windows devices.</summary>
public sealed class MediaFileNamesHostileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-names-" + Guid.NewGuid().ToString("N"));

    public MediaFileNamesHostileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("same/name", "same:name")]
    [InlineData("a?b", "a*b")]
    [InlineData("x.", "x")]
    [InlineData("CON", "_CON")]
    [InlineData("a\u202Eb", "ab")]
    public void IdsThatSanitiseAlikeGetDistinctNamesInEveryRun(string first, string second)
    {
        var a = MediaFileNames.BaseName(first, MediaKind.Video, 0);
        var b = MediaFileNames.BaseName(second, MediaKind.Video, 0);

        Assert.NotEqual(a, b, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(a, MediaFileNames.BaseName(first, MediaKind.Video, 0));
    }

    [Fact]
    public void AnIdsHashIsTheFirstEightHexDigitsOfItsSha256()
    {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1) starts ba7816bf: names saved by earlier runs keep matching.
        Assert.Equal("ba7816bf", MediaFileNames.Hash("abc"));
    }

    [Fact]
    public void ASafeIdIsItsOwnName()
    {
        Assert.Equal("8f1c2e-abc_DEF.1", MediaFileNames.BaseName("8f1c2e-abc_DEF.1", MediaKind.Video, 0));
    }

    [Fact]
    public void ALongIdIsShortenedWithAHashAndEveryFileOfItCanBeCreated()
    {
        var id = new string('\u4efb', 120); // 360 UTF-8 bytes: more than a file name may have
        var other = new string('\u4efb', 119) + "x";
        var item = new MediaItem(id, MediaKind.Cover, 99, "https://cdn.test/a.jpeg", null);

        Assert.NotEqual(item.BaseName, MediaFileNames.BaseName(other, MediaKind.Cover, 99));
        Assert.EndsWith("-" + MediaFileNames.Hash(id) + "-99.cover", item.BaseName);
        foreach (var name in new[] { item.BaseName + ".webm.partial.validator", item.BaseName + ".partial.validator", item.BaseName + ".jpeg" })
        {
            Assert.InRange(Encoding.UTF8.GetByteCount(name), 1, 255);
            File.WriteAllBytes(Path.Combine(_folder, name), new byte[] { 1 });
        }
    }

    [Theory]
    [InlineData("a\u202Eb\u200Bc\u2066d\uFEFFe", "abcde")]
    [InlineData("\u200F\u200E", "_")]
    public void BidiOverridesAndZeroWidthCharactersAreRemovedFromNames(string id, string stem)
    {
        Assert.Equal(stem, MediaFileNames.SafeStem(id));
        Assert.Equal(stem + "-" + MediaFileNames.Hash(id), MediaFileNames.BaseName(id, MediaKind.Video, 0));
    }

    [Theory]
    [InlineData("CONIN$")]
    [InlineData("conout$")]
    [InlineData("COM\u00B9")]
    [InlineData("LPT\u00B3.x")]
    [InlineData("CON .x")]
    [InlineData("nul   .tar")]
    public void WindowsDeviceNamesInEveryFormAreNotUsed(string id)
    {
        Assert.StartsWith("_", MediaFileNames.SafeStem(id));
    }

    [Fact]
    public void ALinkAtAFinalNameIsNeitherSkippedAsSavedNorOverlooked()
    {
        var target = Path.Combine(_folder, "foreign.bin");
        File.WriteAllText(target, "foreign");
        var item = new MediaItem("task-1", MediaKind.Video, 0, "https://cdn.test/a.mp4", null);
        File.CreateSymbolicLink(Path.Combine(_folder, "task-1.webm"), target);

        var error = Assert.Throws<InvalidOperationException>(() => MediaFileNames.Existing(_folder, item));

        Assert.Contains("task-1.webm' is a symbolic link", error.Message);
        Assert.Equal("foreign", File.ReadAllText(target));
    }

    [Fact]
    public void ARegularFileAtAFinalNameIsFound()
    {
        var item = new MediaItem("task-1", MediaKind.Video, 0, "https://cdn.test/a.mp4", null);
        Assert.Null(MediaFileNames.Existing(_folder, item));
        File.WriteAllText(Path.Combine(_folder, "task-1.mov"), "x");

        Assert.Equal(Path.Combine(_folder, "task-1.mov"), MediaFileNames.Existing(_folder, item));
    }
}

public sealed class FileNameClaimsTests
{
    private static MediaItem Video(string id, int index = 0) => new(id, MediaKind.Video, index, "https://cdn.test/" + index + ".mp4", null);

    [Fact]
    public void TwoTasksThatDifferOnlyInCaseGetTwoNames()
    {
        var claims = new FileNameClaims();

        var first = claims.Claim(Video("Task-A"));
        var second = claims.Claim(Video("task-a"));

        Assert.Equal("Task-A", first!.BaseName);
        Assert.Equal("task-a-" + MediaFileNames.Hash("task-a"), second!.BaseName);
        Assert.Equal("task-a", second.TaskId);
        Assert.Equal(second.Url, Video("task-a").Url);
    }

    [Fact]
    public void TheSameMediaAskedForTwiceIsSavedOnce()
    {
        var claims = new FileNameClaims();

        Assert.NotNull(claims.Claim(Video("t")));
        Assert.Null(claims.Claim(Video("t")));
        Assert.NotNull(claims.Claim(Video("t", 1)));
    }

    [Fact]
    public void ATaskWhoseOwnNameIsTheDistinctNameOfAnotherStillGetsItsOwnFile()
    {
        var claims = new FileNameClaims();
        var a = claims.Claim(Video("abc"))!;
        var b = claims.Claim(Video("ABC"))!; // gets ABC-<hash>
        var c = claims.Claim(Video(b.BaseName))!; // a task literally named like that

        Assert.Equal(3, new HashSet<string>(new[] { a.BaseName, b.BaseName, c.BaseName }, StringComparer.OrdinalIgnoreCase).Count);
        Assert.Null(claims.Claim(Video("ABC")));
    }

    [Fact]
    public void NamesAreTheSameOnEveryRunWithTheSameInput()
    {
        string[] Run()
        {
            var claims = new FileNameClaims();
            return new[] { "x", "X", "x " }.Select(id => claims.Claim(Video(id))!.BaseName).ToArray();
        }

        Assert.Equal(Run(), Run());
        Assert.Equal(3, Run().Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
