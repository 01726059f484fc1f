using System.Management.Automation;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Which files Save-ZAiMedia plans for each kind of input.</summary>
public class MediaPlannerTests
{
    private static readonly MediaKind[] All = { MediaKind.Video, MediaKind.Cover, MediaKind.Image };

    private const string TwoVideos = """
        {"id":"vid","model":"cogvideox-3","task_status":"SUCCESS","video_result":[
          {"url":"https://cdn.test/v0.mp4","cover_image_url":"https://cdn.test/c0.jpeg"},
          {"url":"https://cdn.test/v1.mp4","cover_image_url":"https://cdn.test/c1.png"}]}
        """;

    private const string ThreeImages = """
        {"id":"img","model":"glm-image","task_status":"SUCCESS","image_result":[
          {"url":"https://cdn.test/i0.png"},
          {"b64_json":"iVBORw0KGgo="},
          {"url":"https://cdn.test/i2.png","b64_json":"iVBORw0KGgo="}]}
        """;

    private static MediaPlanner.Plan Plan(object input, params MediaKind[] kinds) =>
        MediaPlanner.FromInput(input, kinds.Length == 0 ? All : kinds);

    private static AsyncResult Result(string json) => TestResults.Parse(json, "requested");

    private static PSObject Object(params (string Name, object? Value)[] properties)
    {
        var o = new PSObject();
        foreach (var (name, value) in properties) o.Properties.Add(new PSNoteProperty(name, value));
        return o;
    }

    private static void AssertItem(MediaItem item, string taskId, MediaKind kind, int index, string? url, string? base64, string baseName)
    {
        Assert.Equal(taskId, item.TaskId);
        Assert.Equal(kind, item.Kind);
        Assert.Equal(index, item.Index);
        Assert.Equal(url, item.Url);
        Assert.Equal(base64, item.Base64);
        Assert.Equal(baseName, item.BaseName);
    }

    // ---- AsyncResult -------------------------------------------------------------------------

    [Fact]
    public void AVideoResultYieldsEachVideoFollowedByItsCover()
    {
        var plan = Plan(Result(TwoVideos));

        Assert.Equal("vid", plan.TaskId);
        Assert.Null(plan.NoMediaReason);
        Assert.Collection(
            plan.Items,
            i => AssertItem(i, "vid", MediaKind.Video, 0, "https://cdn.test/v0.mp4", null, "vid"),
            i => AssertItem(i, "vid", MediaKind.Cover, 0, "https://cdn.test/c0.jpeg", null, "vid.cover"),
            i => AssertItem(i, "vid", MediaKind.Video, 1, "https://cdn.test/v1.mp4", null, "vid-1"),
            i => AssertItem(i, "vid", MediaKind.Cover, 1, "https://cdn.test/c1.png", null, "vid-1.cover"));
    }

    [Fact]
    public void KindVideoLeavesOutCovers()
    {
        var plan = Plan(Result(TwoVideos), MediaKind.Video);

        Assert.Null(plan.NoMediaReason);
        Assert.Equal(new[] { "vid", "vid-1" }, plan.Items.Select(i => i.BaseName));
        Assert.All(plan.Items, i => Assert.Equal(MediaKind.Video, i.Kind));
    }

    [Fact]
    public void KindCoverGivesOnlyCovers()
    {
        var plan = Plan(Result(TwoVideos), MediaKind.Cover);

        Assert.Null(plan.NoMediaReason);
        Assert.Equal(new[] { "vid.cover", "vid-1.cover" }, plan.Items.Select(i => i.BaseName));
        Assert.Equal(new[] { 0, 1 }, plan.Items.Select(i => i.Index));
    }

    [Fact]
    public void AKindTheResultDoesNotHaveGivesNothingWithAReason()
    {
        var plan = Plan(Result(TwoVideos), MediaKind.Image);

        Assert.Empty(plan.Items);
        Assert.Equal("Task 'vid' has no media of the kinds asked for (-Kind Image).", plan.NoMediaReason);
    }

    [Fact]
    public void ImagesPreferTheLinkAndFallBackToInlineBase64()
    {
        var plan = Plan(Result(ThreeImages));

        Assert.Null(plan.NoMediaReason);
        Assert.Collection(
            plan.Items,
            i => AssertItem(i, "img", MediaKind.Image, 0, "https://cdn.test/i0.png", null, "img"),
            i => AssertItem(i, "img", MediaKind.Image, 1, null, "iVBORw0KGgo=", "img-1"),
            i => AssertItem(i, "img", MediaKind.Image, 2, "https://cdn.test/i2.png", null, "img-2"));
    }

    [Fact]
    public void KindVideoAndCoverOnAnImageResultGiveNothing()
    {
        var plan = Plan(Result(ThreeImages), MediaKind.Video, MediaKind.Cover);

        Assert.Empty(plan.Items);
        Assert.Equal("Task 'img' has no media of the kinds asked for (-Kind Video, Cover).", plan.NoMediaReason);
    }

    [Fact]
    public void AVideoWithoutALinkStillYieldsItsCoverAtItsOwnIndex()
    {
        var plan = Plan(Result("""
            {"id":"v","task_status":"SUCCESS","video_result":[
              {"cover_image_url":"https://cdn.test/c0.jpeg"},
              {"url":"https://cdn.test/v1.mp4"}]}
            """));

        Assert.Collection(
            plan.Items,
            i => AssertItem(i, "v", MediaKind.Cover, 0, "https://cdn.test/c0.jpeg", null, "v.cover"),
            i => AssertItem(i, "v", MediaKind.Video, 1, "https://cdn.test/v1.mp4", null, "v-1"));
    }

    [Fact]
    public void AnImageWithNeitherLinkNorBase64IsSkippedButKeepsTheOthersIndexes()
    {
        var plan = Plan(Result("""
            {"id":"i","task_status":"SUCCESS","image_result":[{"revised_prompt":"x"},{"url":"https://cdn.test/i1.png"}]}
            """));

        var item = Assert.Single(plan.Items);
        AssertItem(item, "i", MediaKind.Image, 1, "https://cdn.test/i1.png", null, "i-1");
    }

    [Theory]
    [InlineData("PROCESSING", "Task 't' has no media to save: its status is PROCESSING. Wait for it with Wait-ZAiAsyncResult first.")]
    [InlineData("SUBMITTED", "Task 't' has no media to save: its status is SUBMITTED. Wait for it with Wait-ZAiAsyncResult first.")]
    [InlineData("FAIL", "Task 't' has no media to save: its status is FAIL. The task failed.")]
    [InlineData("SUCCESS", "Task 't' has no video or image results.")]
    public void AResultWithoutMediaGivesAReasonThatFitsItsStatus(string status, string reason)
    {
        var plan = Plan(Result($$"""{"id":"t","task_status":"{{status}}"}"""));

        Assert.Equal("t", plan.TaskId);
        Assert.Empty(plan.Items);
        Assert.Equal(reason, plan.NoMediaReason);
    }

    [Fact]
    public void AnEmptyVideoListOfASucceededTaskHasNoResults()
    {
        var plan = Plan(Result("""{"id":"t","task_status":"SUCCESS","video_result":[]}"""));

        Assert.Empty(plan.Items);
        Assert.Equal("Task 't' has no video or image results.", plan.NoMediaReason);
    }

    // ---- single media items ------------------------------------------------------------------

    [Fact]
    public void ASingleVideoResultYieldsItsVideoAndCoverUnderItsTaskAndIndex()
    {
        var video = Result(TwoVideos).VideoResult[1];

        var plan = Plan(video);

        Assert.Equal("vid", plan.TaskId);
        Assert.Null(plan.NoMediaReason);
        Assert.Collection(
            plan.Items,
            i => AssertItem(i, "vid", MediaKind.Video, 1, "https://cdn.test/v1.mp4", null, "vid-1"),
            i => AssertItem(i, "vid", MediaKind.Cover, 1, "https://cdn.test/c1.png", null, "vid-1.cover"));
    }

    [Fact]
    public void ASingleVideoResultFilteredToImagesGivesAReason()
    {
        var plan = Plan(Result(TwoVideos).VideoResult[0], MediaKind.Image);

        Assert.Empty(plan.Items);
        Assert.Equal("The vid media item has no media of the kinds asked for (-Kind Image).", plan.NoMediaReason);
    }

    [Fact]
    public void ASingleImageResultYieldsOneImage()
    {
        var images = Result(ThreeImages).ImageResult;

        var linked = Plan(images[2]);
        var inline = Plan(images[1]);

        AssertItem(Assert.Single(linked.Items), "img", MediaKind.Image, 2, "https://cdn.test/i2.png", null, "img-2");
        AssertItem(Assert.Single(inline.Items), "img", MediaKind.Image, 1, null, "iVBORw0KGgo=", "img-1");
        Assert.Null(linked.NoMediaReason);
    }

    [Fact]
    public void AnObjectThatIsNoResultGivesAReason()
    {
        var plan = Plan("just a string");

        Assert.Empty(plan.Items);
        Assert.Equal("unknown-task", plan.TaskId);
        Assert.Equal("The input is not a Z.AI result or media item: it has no VideoResult, ImageResult or Url property.", plan.NoMediaReason);
    }

    // ---- other shapes: API JSON (ConvertFrom-Json) and deserialized copies -----------------------

    [Fact]
    public void TheApiJsonShapeIsReadLikeAResult()
    {
        var input = Object(
            ("id", "json-task"),
            ("task_status", "SUCCESS"),
            ("video_result", new object[]
            {
                Object(("url", "https://cdn.test/v0.mp4"), ("cover_image_url", "https://cdn.test/c0.jpeg")),
            }));

        var plan = Plan(input);

        Assert.Equal("json-task", plan.TaskId);
        Assert.Collection(
            plan.Items,
            i => AssertItem(i, "json-task", MediaKind.Video, 0, "https://cdn.test/v0.mp4", null, "json-task"),
            i => AssertItem(i, "json-task", MediaKind.Cover, 0, "https://cdn.test/c0.jpeg", null, "json-task.cover"));
    }

    [Fact]
    public void AResultListThatIsASingleLiveObjectCountsAsOneItem()
    {
        var image = Result(ThreeImages).ImageResult[1];
        var input = Object(("id", "one"), ("image_result", image));

        var plan = Plan(input);

        AssertItem(Assert.Single(plan.Items), "one", MediaKind.Image, 0, null, "iVBORw0KGgo=", "one");
    }

    [Fact]
    public void AResultListThatIsASingleObjectCountsAsOneItem()
    {
        var input = Object(
            ("id", "one"),
            ("image_result", Object(("b64_json", "R0lGODlh"))));

        var plan = Plan(input);

        AssertItem(Assert.Single(plan.Items), "one", MediaKind.Image, 0, null, "R0lGODlh", "one");
    }

    [Fact]
    public void ADeserializedResultIsReadByItsPropertyNames()
    {
        // What Import-Clixml or remoting gives back: property bags, with lists of property bags.
        var input = Object(
            ("Id", "remote"),
            ("TaskStatus", "SUCCESS"),
            ("VideoResult", new System.Collections.ArrayList
            {
                new PSObject(Object(("Url", "https://cdn.test/v0.mp4"), ("CoverImageUrl", null))),
                null,
                Object(("Url", "https://cdn.test/v1.mp4"), ("CoverImageUrl", "https://cdn.test/c1.jpeg")),
            }),
            ("ImageResult", new object[0]));

        var plan = Plan(input);

        Assert.Equal("remote", plan.TaskId);
        Assert.Equal(new[] { MediaKind.Video, MediaKind.Video, MediaKind.Cover }, plan.Items.Select(i => i.Kind));
        Assert.Equal(new[] { "https://cdn.test/v0.mp4", "https://cdn.test/v1.mp4", "https://cdn.test/c1.jpeg" }, plan.Items.Select(i => i.Url));
    }

    [Fact]
    public void AResultWithoutAnIdIsSavedAsUnknownTask()
    {
        var input = Object(("task_status", "SUCCESS"), ("image_result", new object[] { Object(("url", "https://cdn.test/a.png")) }));

        var plan = Plan(input);

        Assert.Equal("unknown-task", plan.TaskId);
        Assert.Equal("unknown-task", Assert.Single(plan.Items).BaseName);
    }

    [Fact]
    public void BlankTextPropertiesCountAsMissing()
    {
        var input = Object(
            ("id", "  "),
            ("TaskId", "fallback"),
            ("task_status", "SUCCESS"),
            ("image_result", new object[] { Object(("url", " "), ("b64_json", "R0lGODlh")) }));

        var plan = Plan(input);

        Assert.Equal("fallback", plan.TaskId);
        AssertItem(Assert.Single(plan.Items), "fallback", MediaKind.Image, 0, null, "R0lGODlh", "fallback");
    }

    [Fact]
    public void AHandBuiltMediaItemTakesTaskIdAndIndexFromItsProperties()
    {
        var input = Object(("TaskId", "local"), ("Index", "3"), ("Url", "https://cdn.test/a.png"));

        var plan = Plan(input);

        Assert.Equal("local", plan.TaskId);
        AssertItem(Assert.Single(plan.Items), "local", MediaKind.Image, 3, "https://cdn.test/a.png", null, "local-3");
    }

    [Fact]
    public void AHandBuiltMediaItemWithoutTaskIdIsUnknownTask()
    {
        var plan = Plan(Object(("url", "https://cdn.test/a.png")));

        AssertItem(Assert.Single(plan.Items), "unknown-task", MediaKind.Image, 0, "https://cdn.test/a.png", null, "unknown-task");
    }

    [Fact]
    public void HostileTaskIdsAreSanitisedInTheFileNames()
    {
        var plan = Plan(Object(("id", "../../etc/passwd"), ("task_status", "SUCCESS"), ("image_result", new object[] { Object(("url", "https://cdn.test/a.png")) })));

        var item = Assert.Single(plan.Items);
        Assert.Equal("../../etc/passwd", item.TaskId);
        Assert.Equal("_.._etc_passwd-3754d6cb", item.BaseName);
    }

    [Fact]
    public void ANonNumericIndexDoesNotThrow()
    {
        var input = Object(("TaskId", "local"), ("Index", "first"), ("Url", "https://cdn.test/a.png"));

        var plan = Plan(input);

        Assert.Single(plan.Items);
    }
}
