using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Transfer;

/// <summary>What SafeFile calls a link: any symbolic link, dangling or not; never a plain file, a folder or a name that is not there.</summary>
public sealed class SafeFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-safefile-" + Guid.NewGuid().ToString("N"));

    public SafeFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string In(string name) => Path.Combine(_folder, name);

    [Fact]
    public void LinksLiveOrDanglingAreLinksAndNothingElseIs()
    {
        File.WriteAllText(In("plain.mp4"), "x");
        Directory.CreateDirectory(In("folder"));
        File.CreateSymbolicLink(In("live.mp4"), In("plain.mp4"));
        File.CreateSymbolicLink(In("dangling.mp4"), In("gone.mp4"));
        Directory.CreateSymbolicLink(In("folder-link"), In("folder"));

        Assert.Equal(
            new[] { false, false, true, true, true, false, false },
            new[] { "plain.mp4", "folder", "live.mp4", "dangling.mp4", "folder-link", "missing.mp4", Path.Combine("no-such-folder", "x.mp4") }.Select(n => SafeFile.IsLink(In(n))).ToArray());
    }

    [Fact]
    public void AskingAboutANameThatIsNotThereThrowsNothingNotEvenOnTheWay()
    {
        var thrown = FirstChance.Count(
            e => e is FileNotFoundException or DirectoryNotFoundException && e.Message.Contains(_folder, StringComparison.Ordinal),
            () =>
            {
                Assert.False(SafeFile.IsLink(In("missing.partial")));
                Assert.False(SafeFile.IsLink(In(Path.Combine("no-such-folder", "x.mp4"))));
                SafeFile.RefuseLink(In("missing.ranges"));
            });

        Assert.Equal(0, thrown);
    }
}
