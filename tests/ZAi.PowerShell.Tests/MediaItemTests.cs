using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

public class MediaItemTests
{
    [Fact]
    public void KeepsWhatItWasGivenAndDerivesTheBaseName()
    {
        var item = new MediaItem("task-7", MediaKind.Cover, 2, "https://cdn.test/c.jpeg", null);

        Assert.Equal("task-7", item.TaskId);
        Assert.Equal(MediaKind.Cover, item.Kind);
        Assert.Equal(2, item.Index);
        Assert.Equal("https://cdn.test/c.jpeg", item.Url);
        Assert.Null(item.Base64);
        Assert.Equal("task-7-2.cover", item.BaseName);
    }

    [Fact]
    public void AnInlineImageHasNoUrl()
    {
        var item = new MediaItem("t", MediaKind.Image, 0, null, "iVBORw0KGgo=");

        Assert.Null(item.Url);
        Assert.Equal("iVBORw0KGgo=", item.Base64);
        Assert.Equal("t", item.BaseName);
    }

    [Theory]
    [InlineData(MediaKind.Video, 0, "video 0 of task 'abc'")]
    [InlineData(MediaKind.Cover, 1, "cover 1 of task 'abc'")]
    [InlineData(MediaKind.Image, 4, "image 4 of task 'abc'")]
    public void DescribeNamesKindIndexAndTask(MediaKind kind, int index, string expected)
    {
        Assert.Equal(expected, new MediaItem("abc", kind, index, "https://cdn.test/x", null).Describe());
    }

    [Fact]
    public void DescribeShowsControlCharactersAsQuestionMarksAndShortensLongIds()
    {
        Assert.Equal("video 0 of task 'a?b'", new MediaItem("a\nb", MediaKind.Video, 0, null, null).Describe());
        var longId = new string('x', 100);
        Assert.Equal($"image 0 of task '{new string('x', 80)}...'", new MediaItem(longId, MediaKind.Image, 0, null, null).Describe());
    }

    [Fact]
    public void BaseNameIsSafeEvenWhenTheTaskIdIsNot()
    {
        var item = new MediaItem("..\\..\\evil", MediaKind.Video, 0, null, null);

        Assert.Equal("_.._evil-65592c3f", item.BaseName);
        Assert.Equal("..\\..\\evil", item.TaskId);
    }
}
