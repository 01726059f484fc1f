using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>A recorded name kept as a stretch of the journal's path compares as the name itself does.</summary>
public sealed class NameSliceTests
{
    [Theory]
    [InlineData("/media/fox.mp4")]
    [InlineData("/media/fox.cover.jpg")]
    [InlineData("/media/no-extension")]
    [InlineData("/media/.hidden")]
    [InlineData("relative/a.b.c")]
    [InlineData("一只狐狸.png")]
    public void TheStemOfAPathIsItsFileNameWithoutTheExtension(string path)
    {
        Assert.Equal(Path.GetFileNameWithoutExtension(path), NameSlice.StemOf(path).ToString());
    }

    [Fact]
    public void AStemMatchesTheSameNameInAnyCaseAndNoOther()
    {
        var stem = NameSlice.StemOf("/media/Fox.Cover.jpg");

        Assert.True(NameSlice.IgnoreCase.Equals(stem, NameSlice.Of("fox.cover")));
        Assert.Equal(NameSlice.IgnoreCase.GetHashCode(stem), NameSlice.IgnoreCase.GetHashCode(NameSlice.Of("FOX.COVER")));
        Assert.False(NameSlice.IgnoreCase.Equals(stem, NameSlice.Of("fox.cove")));
        Assert.False(NameSlice.IgnoreCase.Equals(stem, NameSlice.Of("fox.covers")));
        Assert.False(NameSlice.IgnoreCase.Equals(stem, NameSlice.Of("Fox")));
    }

    [Fact]
    public void ANameReservedFromARecordedPathStaysItsTasksInAnyCase()
    {
        var names = new FileNameClaims();
        var recorded = NameSlice.StemOf("/media/Fox.cover.jpg");
        names.Reserve(recorded, "t1", MediaKind.Cover, 0);

        var other = names.Claim(new MediaItem("t2", MediaKind.Cover, 0, "https://x/2", null, baseName: "fox.cover"))!;
        var own = names.Claim(new MediaItem("t1", MediaKind.Cover, 0, "https://x/1", null, baseName: "whatever"), new[] { recorded })!;

        Assert.NotEqual("fox.cover", other.BaseName, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("Fox.cover", own.BaseName);
    }
}
