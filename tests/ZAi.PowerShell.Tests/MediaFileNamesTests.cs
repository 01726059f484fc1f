using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

public sealed class MediaFileNamesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-names-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    // ---- BaseName ----------------------------------------------------------------------------

    [Theory]
    [InlineData(MediaKind.Video, 0, "task-1")]
    [InlineData(MediaKind.Video, 1, "task-1-1")]
    [InlineData(MediaKind.Video, 12, "task-1-12")]
    [InlineData(MediaKind.Cover, 0, "task-1.cover")]
    [InlineData(MediaKind.Cover, 2, "task-1-2.cover")]
    [InlineData(MediaKind.Image, 0, "task-1")]
    [InlineData(MediaKind.Image, 3, "task-1-3")]
    public void BaseNameIsTheTaskIdWithIndexAndCoverSuffix(MediaKind kind, int index, string expected)
    {
        Assert.Equal(expected, MediaFileNames.BaseName("task-1", kind, index));
    }

    [Fact]
    public void BaseNameSanitisesTheTaskId()
    {
        Assert.Equal("a_b-c14cddc0-1.cover", MediaFileNames.BaseName("a/b", MediaKind.Cover, 1));
        Assert.Equal("_CON-a3dbc4b6", MediaFileNames.BaseName("CON", MediaKind.Video, 0));
    }

    [Fact]
    public void PartialSuffixIsDotPartial()
    {
        Assert.Equal(".partial", MediaFileNames.PartialSuffix);
    }

    // ---- Extension ---------------------------------------------------------------------------

    [Theory]
    [InlineData(MediaKind.Video, "video/webm", "https://cdn.test/a.mp4", ".webm")]
    [InlineData(MediaKind.Video, "video/mp4; charset=binary", null, ".mp4")]
    [InlineData(MediaKind.Video, "VIDEO/QuickTime", "https://cdn.test/a.mkv", ".mov")]
    [InlineData(MediaKind.Video, " video/x-matroska ", null, ".mkv")]
    [InlineData(MediaKind.Cover, "image/png", "https://cdn.test/a.jpeg", ".png")]
    [InlineData(MediaKind.Image, "image/jpg", null, ".jpg")]
    [InlineData(MediaKind.Image, "image/jpeg", "https://cdn.test/a.png", ".jpg")]
    [InlineData(MediaKind.Image, "image/webp", null, ".webp")]
    [InlineData(MediaKind.Image, "image/gif", null, ".gif")]
    public void ContentTypeComesFirst(MediaKind kind, string contentType, string? url, string expected)
    {
        Assert.Equal(expected, MediaFileNames.Extension(kind, contentType, url));
    }

    [Theory]
    [InlineData(MediaKind.Video, "image/jpeg", "https://cdn.test/a.mov", ".mov")]
    [InlineData(MediaKind.Video, "image/png", "https://cdn.test/noext", ".mp4")]
    [InlineData(MediaKind.Cover, "video/mp4", "https://cdn.test/c.png", ".png")]
    [InlineData(MediaKind.Cover, "video/mp4", null, ".jpg")]
    [InlineData(MediaKind.Image, "video/webm", null, ".png")]
    public void AContentTypeThatDoesNotFitTheKindIsIgnored(MediaKind kind, string contentType, string? url, string expected)
    {
        Assert.Equal(expected, MediaFileNames.Extension(kind, contentType, url));
    }

    [Theory]
    [InlineData(MediaKind.Video, "application/octet-stream", "https://cdn.test/v/a.M4V", ".m4v")]
    [InlineData(MediaKind.Video, null, "https://cdn.test/a.webm?sig=x.mp4", ".webm")]
    [InlineData(MediaKind.Image, "binary/octet-stream", "https://cdn.test/a.JPEG?x=1", ".jpg")]
    [InlineData(MediaKind.Cover, null, "https://cdn.test/a_cover.jpeg", ".jpg")]
    [InlineData(MediaKind.Image, "", "http://cdn.test/a.gif#frag", ".gif")]
    [InlineData(MediaKind.Image, "text/html", "https://cdn.test/a%2Ewebp", ".webp")]
    public void WithoutAUsableContentTypeTheUrlPathDecides(MediaKind kind, string? contentType, string url, string expected)
    {
        Assert.Equal(expected, MediaFileNames.Extension(kind, contentType, url));
    }

    [Theory]
    [InlineData(MediaKind.Video, null, null, ".mp4")]
    [InlineData(MediaKind.Cover, null, null, ".jpg")]
    [InlineData(MediaKind.Image, null, null, ".png")]
    [InlineData(MediaKind.Video, "application/octet-stream", "https://cdn.test/a.bin", ".mp4")]
    [InlineData(MediaKind.Video, null, "https://cdn.test/a.png", ".mp4")]
    [InlineData(MediaKind.Image, null, "https://cdn.test/a.mp4", ".png")]
    [InlineData(MediaKind.Cover, null, "not a url.png", ".jpg")]
    [InlineData(MediaKind.Image, null, "https://cdn.test/", ".png")]
    [InlineData(MediaKind.Video, null, "https://cdn.test/a.exe", ".mp4")]
    public void OtherwiseTheKindDefaultIsUsed(MediaKind kind, string? contentType, string? url, string expected)
    {
        Assert.Equal(expected, MediaFileNames.Extension(kind, contentType, url));
    }

    [Fact]
    public void CandidatesAreEveryExtensionTheKindCanHave()
    {
        Assert.Equal(
            new[] { "t-1.mp4", "t-1.mov", "t-1.webm", "t-1.mkv", "t-1.m4v" },
            MediaFileNames.Candidates(new MediaItem("t", MediaKind.Video, 1, "https://cdn.test/a.mp4", null)));
        Assert.Equal(
            new[] { "t.cover.jpg", "t.cover.jpeg", "t.cover.png", "t.cover.webp", "t.cover.gif" },
            MediaFileNames.Candidates(new MediaItem("t", MediaKind.Cover, 0, "https://cdn.test/c.jpeg", null)));
        Assert.Equal(
            new[] { "t.jpg", "t.jpeg", "t.png", "t.webp", "t.gif" },
            MediaFileNames.Candidates(new MediaItem("t", MediaKind.Image, 0, null, "AAAA")));
    }

    [Fact]
    public void EveryExtensionThatCanBeChosenIsACandidate()
    {
        var types = new[] { null, "video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif", "text/plain" };
        var urls = new[] { null, "https://c.test/a.mp4", "https://c.test/a.mov", "https://c.test/a.m4v", "https://c.test/a.jpeg", "https://c.test/a.gif", "https://c.test/a.webp", "https://c.test/a.txt" };
        foreach (var kind in new[] { MediaKind.Video, MediaKind.Cover, MediaKind.Image })
        {
            var item = new MediaItem("t", kind, 0, "https://c.test/x", null);
            var candidates = MediaFileNames.Candidates(item).ToHashSet();
            foreach (var type in types)
            {
                foreach (var url in urls)
                {
                    var name = item.BaseName + MediaFileNames.Extension(kind, type, url);
                    Assert.True(candidates.Contains(name), $"{kind} {type} {url}: '{name}' would not be found by the skip check");
                }
            }
        }
    }

    // ---- ExtensionOfBytes --------------------------------------------------------------------

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, ".jpg")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF }, ".jpg")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 2, 3, 4, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, ".webp")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, ".gif")]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, ".png")]
    [InlineData(new byte[] { }, ".png")]
    [InlineData(new byte[] { 0xFF, 0xD8 }, ".png")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F' }, ".png")]
    [InlineData(new byte[] { 0, 1, 2, 3, 4, 5 }, ".png")]
    public void ExtensionOfBytesReadsTheSignature(byte[] bytes, string expected)
    {
        Assert.Equal(expected, MediaFileNames.ExtensionOfBytes(bytes));
    }

    // ---- SafeStem ----------------------------------------------------------------------------

    [Theory]
    [InlineData("abc123", "abc123")]
    [InlineData("task.with.dots", "task.with.dots")]
    [InlineData("a<b>c:d\"e/f\\g|h?i*j", "a_b_c_d_e_f_g_h_i_j")]
    [InlineData("a\tb\nc\0d\u007Fe\u0085f", "a_b_c_d_e_f")]
    [InlineData("\u00e9t\u00e9-\u4efb\u52a1", "\u00e9t\u00e9-\u4efb\u52a1")]
    [InlineData("a\U0001F600b", "a\U0001F600b")]
    [InlineData("\U0001F680 Rocket launch \U0001F319", "\U0001F680 Rocket launch \U0001F319")]
    [InlineData("\U00020BB7\u91CE\u5BB6", "\U00020BB7\u91CE\u5BB6")]
    public void SafeStemReplacesInvalidAndControlCharacters(string taskId, string expected)
    {
        Assert.Equal(expected, MediaFileNames.SafeStem(taskId));
    }

    [Fact]
    public void AVideosDefaultNameIsItsSafeTaskIdsOwnStringAndItsCoversNameIsNew()
    {
        var taskId = string.Concat("101002-", "8802648481093947842");

        Assert.Same(taskId, MediaFileNames.BaseName(taskId, MediaKind.Video, 0));
        Assert.Equal("101002-8802648481093947842.cover", MediaFileNames.BaseName(taskId, MediaKind.Cover, 0));
        Assert.Equal("101002-8802648481093947842-1", MediaFileNames.BaseName(taskId, MediaKind.Video, 1));
        Assert.StartsWith("101002-8802648481093947842-", MediaFileNames.BaseName(taskId, MediaKind.Video, 0, distinct: true));
        Assert.Equal("a_b-" + MediaFileNames.Hash("a/b"), MediaFileNames.BaseName("a/b", MediaKind.Video, 0));
    }

    [Fact]
    public void SafeStemReplacesUnpairedSurrogates()
    {
        // Built here rather than in InlineData: test discovery does not carry lone surrogates intact.
        Assert.Equal("a_b_", MediaFileNames.SafeStem("a\uD800b\uDC00"));
        Assert.Equal("__\U0001F600_", MediaFileNames.SafeStem("\uDC00\uD800\U0001F600\uD800"));
    }

    [Fact]
    public void SafeStemNeverCutsACharacterOutsideTheBmpInHalf()
    {
        // Issue 19: a long emoji prompt is cut at the byte limit between characters, never inside a pair.
        var stem = MediaFileNames.SafeStem("a" + string.Concat(Enumerable.Repeat("\U0001F680", 200)));

        Assert.False(char.IsHighSurrogate(stem[^1]), "the stem ends with half a character");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(stem) <= 120);
        Assert.Equal(stem.Length - 1, stem.Count(char.IsSurrogate));
    }

    [Theory]
    [InlineData(" . x . ")]
    [InlineData(". .x. .")]
    [InlineData("...  ...")]
    [InlineData(" .. / .. ")]
    public void SafeStemNeverStartsWithADotNorEndsWithADotOrSpace(string taskId)
    {
        var stem = MediaFileNames.SafeStem(taskId);

        Assert.NotEmpty(stem);
        Assert.False(stem.StartsWith('.'), $"'{stem}' starts with a dot");
        Assert.False(stem.EndsWith('.') || stem.EndsWith(' '), $"'{stem}' ends with a dot or space");
        Assert.False(stem.StartsWith(' '), $"'{stem}' starts with a space");
    }

    [Fact]
    public void SafeStemCutAtTheCapDoesNotEndInADotOrSpace()
    {
        Assert.Equal(new string('a', 118), MediaFileNames.SafeStem(new string('a', 118) + ". " + new string('b', 10)));
    }

    [Theory]
    [InlineData("CON", "_CON")]
    [InlineData("con", "_con")]
    [InlineData("Prn", "_Prn")]
    [InlineData("AUX", "_AUX")]
    [InlineData("nul.txt", "_nul.txt")]
    [InlineData("NUL.tar.gz", "_NUL.tar.gz")]
    [InlineData("COM1", "_COM1")]
    [InlineData("com9.x", "_com9.x")]
    [InlineData("LPT1", "_LPT1")]
    [InlineData("lpt9", "_lpt9")]
    [InlineData("CON  ", "_CON")]
    [InlineData("  CON", "_CON")]
    [InlineData("..CON", "_CON")]
    public void SafeStemPrefixesReservedDeviceNames(string taskId, string expected)
    {
        Assert.Equal(expected, MediaFileNames.SafeStem(taskId));
    }

    [Theory]
    [InlineData("COM10")]
    [InlineData("COM0")]
    [InlineData("CONSOLE")]
    [InlineData("xCON")]
    [InlineData("LPT")]
    [InlineData("my-nul")]
    public void SafeStemLeavesNamesThatOnlyLookLikeDevices(string taskId)
    {
        Assert.Equal(taskId, MediaFileNames.SafeStem(taskId));
    }

    [Theory]
    [InlineData(".hidden", "hidden")]
    [InlineData("...x", "x")]
    [InlineData("x.", "x")]
    [InlineData("x. . .", "x")]
    [InlineData("  x  ", "x")]
    [InlineData("", "_")]
    [InlineData("   ", "_")]
    [InlineData(".", "_")]
    [InlineData("..", "_")]
    [InlineData(". . .", "_")]
    public void SafeStemTrimsLeadingAndTrailingDotsAndSpaces(string taskId, string expected)
    {
        Assert.Equal(expected, MediaFileNames.SafeStem(taskId));
    }

    [Theory]
    [InlineData("../../etc/passwd", "_.._etc_passwd")]
    [InlineData("..\\x", "_x")]
    [InlineData("..\\..\\Windows\\System32", "_.._Windows_System32")]
    [InlineData("/etc/passwd", "_etc_passwd")]
    [InlineData("C:\\temp\\x", "C__temp_x")]
    [InlineData("\\\\server\\share", "__server_share")]
    [InlineData("a/../b", "a_.._b")]
    public void SafeStemNeutralisesPathTraversal(string taskId, string expected)
    {
        var stem = MediaFileNames.SafeStem(taskId);

        Assert.Equal(expected, stem);
        Assert.DoesNotContain('/', stem);
        Assert.DoesNotContain('\\', stem);
        Assert.False(stem.StartsWith('.'));
    }

    [Fact]
    public void SafeStemIsCappedAt120Characters()
    {
        Assert.Equal(new string('a', 120), MediaFileNames.SafeStem(new string('a', 500)));
        Assert.Equal(new string('b', 120), MediaFileNames.SafeStem(new string('b', 120)));
        Assert.Equal(new string('c', 119), MediaFileNames.SafeStem(new string('c', 119)));
    }

    [Fact]
    public void SafeStemOfALongReservedNameIsStillPrefixed()
    {
        var stem = MediaFileNames.SafeStem("CON." + new string('x', 300));

        Assert.StartsWith("_CON.", stem);
        Assert.Equal(121, stem.Length);
    }

    [Fact]
    public void EveryHostileIdGivesAFileNameInsideTheFolder()
    {
        var hostile = new[]
        {
            "../../etc/passwd", "..\\..\\x", "/abs", "\\\\unc\\share", "C:\\x", "..", ".", "", " ", "a/b/c", "~", "~/x",
            "\u0000", "con", "NUL.txt", "x:y", "?*<>|", new string('/', 300), new string('.', 300), "a\u202Eb", "%2e%2e%2f",
        };
        foreach (var id in hostile)
        {
            foreach (var kind in new[] { MediaKind.Video, MediaKind.Cover, MediaKind.Image })
            {
                var name = MediaFileNames.BaseName(id, kind, 1) + MediaFileNames.Extension(kind, null, null);
                var full = MediaFileNames.Within(_folder, name);
                Assert.Equal(Path.GetFullPath(_folder), Path.GetDirectoryName(full));
                Assert.Equal(name, Path.GetFileName(full));
            }
        }
    }

    // ---- Within ------------------------------------------------------------------------------

    [Fact]
    public void WithinGivesTheFullPathInTheFolder()
    {
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "a.mp4"), MediaFileNames.Within(_folder, "a.mp4"));
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "a.mp4"), MediaFileNames.Within(_folder + Path.DirectorySeparatorChar, "a.mp4"));
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "a.b.partial"), MediaFileNames.Within(_folder, "a.b.partial"));
    }

    [Fact]
    public void WithinResolvesARelativeFolderAgainstTheCurrentDirectory()
    {
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "rel", "x.png"), MediaFileNames.Within("rel", "x.png"));
    }

    [Theory]
    [InlineData("../x.mp4")]
    [InlineData("../../etc/passwd")]
    [InlineData("sub/x.mp4")]
    [InlineData("..\\x")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("x/../../y")]
    public void WithinRejectsNamesThatLeaveTheFolder(string fileName)
    {
        var error = Assert.Throws<InvalidOperationException>(() => MediaFileNames.Within(_folder, fileName));

        Assert.Contains("would leave the folder", error.Message);
    }

    [Fact]
    public void WithinRejectsASiblingFolderThatSharesThePrefix()
    {
        var name = "../" + Path.GetFileName(_folder) + "-evil/x.mp4";

        Assert.Throws<InvalidOperationException>(() => MediaFileNames.Within(_folder, name));
    }

    [Fact]
    public void WithinAcceptsANameThatGoesOutAndComesBackButOnlyAsAPlainFileName()
    {
        // "x/../y" resolves to "y" in the folder: it does not leave it, so it is allowed.
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "y"), MediaFileNames.Within(_folder, "x/../y"));
    }
}
