using System.Management.Automation;
using Xunit;
using ZAi.PowerShell.Saving;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>What the planner tells Save about inputs without links and tasks without media by kind.</summary>
public sealed class MediaPlannerLinksTests
{
    private static PSObject Result(string kind, string status, int images)
    {
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("Id", "t1"));
        result.Properties.Add(new PSNoteProperty("TaskStatus", status));
        result.Properties.Add(new PSNoteProperty("Kind", kind));
        result.Properties.Add(new PSNoteProperty("ImageResult", Enumerable.Range(0, images).Select(i => (object)new PSObject()).ToArray()));
        return result;
    }

    [Theory]
    [InlineData("Image", "SUCCESS", 0, true)]
    [InlineData("Video", "SUCCESS", 0, true)]
    [InlineData("Image", "SUCCESS", 1, false)]
    [InlineData("Image", "PROCESSING", 0, false)]
    [InlineData("Chat", "SUCCESS", 0, false)]
    public void ASucceededMediaTaskWithoutAnyMediaHoldsNoMedia(string kind, string status, int images, bool none)
    {
        Assert.Equal(none, MediaPlanner.HoldsNoMedia(Result(kind, status, images), out var taskId));
        Assert.Equal("t1", taskId);
    }

    [Fact]
    public void AChatCompletionHasNoMediaByItsKindAndAFailedTaskHasNoMediaByItsEnd()
    {
        var kinds = new[] { MediaKind.Video, MediaKind.Cover, MediaKind.Image };
        var chat = MediaPlanner.FromInput(Result("Chat", "SUCCESS", 0), kinds);
        var failed = MediaPlanner.FromInput(Result("Image", "FAIL", 0), kinds);

        Assert.True(chat.NoMediaByKind);
        Assert.Contains("is a chat completion", chat.NoMediaReason);
        Assert.False(failed.NoMediaByKind);
        Assert.Contains("FAIL", failed.NoMediaReason);
    }
}
