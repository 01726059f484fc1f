using System.Collections;
using System.Management.Automation;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Models;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 15's core logic without a runspace: names, expiry, templates, binding and completion.</summary>
public class FirstUseCoreTests
{
    private static PSObject Object(params (string Name, object? Value)[] properties)
    {
        var item = new PSObject();
        foreach (var (name, value) in properties) item.Properties.Add(new PSNoteProperty(name, value));
        return item;
    }

    // ---- 3, 9, 10: what a result says ------------------------------------------------------

    [Fact]
    public void StatusAndKindAreNamesAndTheMediaLinksAreTextColumns()
    {
        var result = TestResults.Parse("""
            {"id":"names-1","model":"cogvideox-3","task_status":"SUCCESS","video_result":[
              {"url":"https://cdn.test/v0.mp4","cover_image_url":"https://cdn.test/c0.jpg"},
              {"url":"https://cdn.test/v1.mp4","cover_image_url":"https://cdn.test/c1.jpg"}]}
            """);

        Assert.Equal("Success", result.Status);
        Assert.Equal("Video", result.Kind);
        Assert.Equal("https://cdn.test/v0.mp4 https://cdn.test/v1.mp4", result.VideoUrl);
        Assert.Equal("https://cdn.test/c0.jpg https://cdn.test/c1.jpg", result.CoverImageUrl);
        Assert.Null(result.ImageUrl);
    }

    [Theory]
    [InlineData("video", 1)]
    [InlineData("image", 30)]
    public void LinksExpireFromTheFirstSuccessSeen(string kind, int days)
    {
        var id = "expiry-" + Guid.NewGuid().ToString("N");
        var resultKind = kind == "video" ? ResultKind.Video : ResultKind.Image;
        var first = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

        var account = new ZAi.PowerShell.Client.FirstSuccesses();
        var other = new ZAi.PowerShell.Client.FirstSuccesses();

        Assert.Null(MediaExpiry.Estimate(AsyncTaskStatus.Processing, resultKind, first.AddMinutes(-1)));
        Assert.Equal(first.AddDays(days), MediaExpiry.Estimate(AsyncTaskStatus.Success, resultKind, account.FirstSeen(id, first)));
        Assert.Equal(first.AddDays(days), MediaExpiry.Estimate(AsyncTaskStatus.Success, resultKind, account.FirstSeen(id, first.AddHours(5))));
        // Another account's sighting is its own.
        Assert.Equal(first.AddHours(5).AddDays(days), MediaExpiry.Estimate(AsyncTaskStatus.Success, resultKind, other.FirstSeen(id, first.AddHours(5))));
        Assert.Null(MediaExpiry.Estimate(AsyncTaskStatus.Success, ResultKind.Chat, first));
    }

    [Fact]
    public void LinkExpiryWarnsOnlyAboutLinksPastTheirEstimate()
    {
        var now = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var items = new[]
        {
            new MediaItem("old", MediaKind.Video, 0, "https://cdn.test/a.mp4", null, expiresAt: now.AddDays(-3)),
            new MediaItem("new", MediaKind.Video, 0, "https://cdn.test/b.mp4", null, expiresAt: now.AddHours(3)),
            new MediaItem("none", MediaKind.Video, 0, "https://cdn.test/c.mp4", null),
            new MediaItem("inline", MediaKind.Image, 0, null, "iVBORw0KGgo=", expiresAt: now.AddDays(-3)),
        };

        var warning = Assert.Single(LinkExpiry.Warnings(items, now));

        Assert.Contains("task 'old' is probably expired", warning);
        Assert.Contains("1 day", warning);
        Assert.Contains("3 days ago", warning);
    }

    [Fact]
    public void AnExpiredLinkErrorNamesTheEstimate()
    {
        var now = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var item = new MediaItem("t", MediaKind.Image, 0, "https://cdn.test/a.png", null, expiresAt: now.AddHours(-5));
        var error = new ZAiMediaException(MediaErrorReason.LinkExpired, "The link answered HTTP 403.", item.Url);

        var explained = LinkExpiry.Explain(error, item, now);

        Assert.Equal("ZAiMediaLinkExpired", explained.ErrorId);
        Assert.StartsWith("The link of the image 0 of task 't' has expired (HTTP 403).", explained.Message);
        Assert.Contains("expire at 2026-12-01 07:00 UTC, 5 hours ago", explained.Message);
        var other = new ZAiMediaException(MediaErrorReason.DownloadFailed, "x");
        Assert.Same(other, LinkExpiry.Explain(other, item, now));
    }

    // ---- 1: shallow input -------------------------------------------------------------------

    [Fact]
    public void ResultsThatLostTheirMediaDetailsAreShallow()
    {
        Assert.True(MediaPlanner.LacksMediaDetails(Object(("Id", "a"), ("Status", "Success"), ("VideoResult", new ArrayList { "https://x/v.mp4" })), out var id));
        Assert.Equal("a", id);
        Assert.True(MediaPlanner.LacksMediaDetails(Object(("Id", "b"), ("TaskStatus", "SUCCESS"), ("VideoResult", "ZAi.VideoResult[]")), out _));
        Assert.True(MediaPlanner.LacksMediaDetails(Object(("Id", "c"), ("TaskStatus", "SUCCESS")), out _));
        Assert.False(MediaPlanner.LacksMediaDetails(Object(("Id", "d"), ("TaskStatus", "PROCESSING")), out _));
        Assert.False(MediaPlanner.LacksMediaDetails(Object(("Id", "e"), ("TaskStatus", "SUCCESS"), ("VideoResult", new ArrayList { Object(("Url", "https://x/v.mp4")) })), out _));
        Assert.False(MediaPlanner.LacksMediaDetails(Object(("TaskStatus", "SUCCESS")), out _));
        Assert.False(MediaPlanner.LacksMediaDetails(TestResults.Parse("""{"id":"f","task_status":"SUCCESS"}"""), out _));
        Assert.False(MediaPlanner.LacksMediaDetails(Object(("Id", "g"), ("Status", "Success"), ("Kind", "Chat")), out _));
    }

    [Fact]
    public void PlannedItemsCarryThePromptAndTheEstimate()
    {
        var expires = new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc);
        var input = Object(("Id", "p"), ("TaskStatus", "SUCCESS"), ("Prompt", "a fox"), ("ExpiresAt", expires),
            ("VideoResult", new ArrayList { Object(("Url", "https://x/v.mp4"), ("CoverImageUrl", "https://x/c.jpg")) }));

        var plan = MediaPlanner.FromInput(input, new[] { MediaKind.Video, MediaKind.Cover });

        Assert.All(plan.Items, item => Assert.Equal("a fox", item.Prompt));
        Assert.All(plan.Items, item => Assert.Equal(expires, item.ExpiresAt));
    }

    // ---- 7: names ---------------------------------------------------------------------------

    [Theory]
    [InlineData("{Prompt}-{Index}", MediaKind.Video, 0, "A fox: at dawn?", "A fox_ at dawn_-0")]
    [InlineData("{Prompt}-{Index}", MediaKind.Cover, 1, "A fox", "A fox-1.cover")]
    [InlineData("{Kind}-{TaskId}", MediaKind.Cover, 0, null, "cover-task-1")]
    [InlineData("{prompt}", MediaKind.Image, 2, null, "task-1")]
    [InlineData("{Prompt}", MediaKind.Image, 0, "[draft] *one*", "(draft) _one_")]
    [InlineData("{Prompt}", MediaKind.Image, 0, "line one\r\n\tline two", "line one line two")]
    public void TemplatesExpandSanitised(string template, MediaKind kind, int index, string? prompt, string expected)
    {
        Assert.Equal(expected, MediaNameTemplate.Parse(template).BaseName("task-1", kind, index, prompt));
    }

    [Fact]
    public void ALongPromptIsCutAtAWord()
    {
        var name = MediaNameTemplate.Parse("{Prompt}").BaseName("t", MediaKind.Video, 0, string.Join(" ", Enumerable.Repeat("lighthouse", 20)));

        Assert.True(name.Length <= MediaNameTemplate.MaxPromptLength);
        Assert.EndsWith("lighthouse", name);
    }

    [Theory]
    [InlineData("{Title}", "{Title}")]
    [InlineData("fixed", "no placeholder")]
    [InlineData("{TaskId}/{Index}", "path separator")]
    [InlineData(" ", "empty")]
    public void BadTemplatesAreRefused(string template, string message)
    {
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => MediaNameTemplate.Parse(template)).Message);
    }

    [Fact]
    public void CollidingNamesOfDifferentTasksAreKeptApart()
    {
        var template = MediaNameTemplate.Parse("{Prompt}");
        var names = new FileNameClaims(templated: true);
        MediaItem Item(string task, MediaKind kind = MediaKind.Video) => new(task, kind, 0, "https://x/" + task, null, "same prompt", null, template.BaseName(task, kind, 0, "same prompt"));

        Assert.Equal("same prompt", names.Claim(Item("t1"))!.BaseName);
        Assert.Null(names.Claim(Item("t1")));
        Assert.Equal("same prompt-t2", names.Claim(Item("t2"))!.BaseName);
        Assert.Equal("same prompt.cover", names.Claim(Item("t1", MediaKind.Cover))!.BaseName);
        Assert.Equal("same prompt-t2.cover", names.Claim(Item("t2", MediaKind.Cover))!.BaseName);
    }

    [Fact]
    public void ASavedFileHasPlainExportableProperties()
    {
        var path = Path.Combine(Path.GetTempPath(), "saved-" + Guid.NewGuid().ToString("N") + ".png");
        File.WriteAllBytes(path, new byte[123]);
        try
        {
            var saved = new SavedMediaFile(path, "t", MediaKind.Image, 2, "https://x/i.png", true, "a fox", null);

            Assert.Equal(123, saved.Length);
            Assert.Equal("Image", saved.MediaKind);
            Assert.Equal(".png", saved.Extension);
            Assert.Equal(path, saved.FullName);
            Assert.Equal(path, saved.ToString());
            Assert.DoesNotContain(typeof(SavedMediaFile).GetProperties(), p => p.PropertyType != typeof(string) && p.PropertyType != typeof(int) && p.PropertyType != typeof(long) && p.PropertyType != typeof(bool) && p.PropertyType != typeof(DateTime?));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- 2, 5, 6: binding --------------------------------------------------------------------

    [Fact]
    public void TaskIdsAreTrimmedAndTakenFromObjects()
    {
        var attribute = new TaskIdArgumentAttribute();

        Assert.Equal("abc", attribute.Transform(null!, " abc\t"));
        Assert.Equal(new[] { "a", "b" }, attribute.Transform(null!, new object[] { "a ", new Hashtable { ["TaskId"] = "b" } }));
        Assert.Equal("c", attribute.Transform(null!, Object(("Id", "c"))));
        Assert.Equal("12345", attribute.Transform(null!, 12345L));
        Assert.Equal("  ", attribute.Transform(null!, "  "));
    }

    [Fact]
    public void ObjectsWithoutAnIdAreRefused()
    {
        var attribute = new TaskIdArgumentAttribute();

        Assert.Contains("System.DateTime", Assert.Throws<ArgumentTransformationMetadataException>(() => attribute.Transform(null!, DateTime.Now)).Message);
        Assert.Contains("Hashtable", Assert.Throws<ArgumentTransformationMetadataException>(() => attribute.Transform(null!, new Hashtable { ["Name"] = "x" })).Message);
    }

    [Fact]
    public void ABlankLineOfAFileIsRefusedNamingTheLine()
    {
        var line = PSObject.AsPSObject("   ");
        line.Properties.Add(new PSNoteProperty("ReadCount", 3L));
        line.Properties.Add(new PSNoteProperty("PSPath", @"Microsoft.PowerShell.Core\FileSystem::/data/ids.txt"));

        var error = Assert.Throws<ArgumentTransformationMetadataException>(() => new TaskIdArgumentAttribute().Transform(null!, line));

        Assert.StartsWith("Line 3 of '/data/ids.txt' is blank", error.Message);
    }

    [Fact]
    public void BlankMeansTheDefaultAndReplacesValidateSet()
    {
        Assert.Null(new BlankMeansDefaultAttribute().Transform(null!, " "));
        Assert.Equal("glm-image", new BlankMeansDefaultAttribute("glm-image").Transform(null!, ""));
        var set = new BlankMeansDefaultAttribute { AllowedValues = new[] { "speed", "quality" } };
        Assert.Equal("quality", set.Transform(null!, "Quality"));
        Assert.Null(set.Transform(null!, ""));
        Assert.Contains("use one of: speed, quality", Assert.Throws<ArgumentTransformationMetadataException>(() => set.Transform(null!, "best")).Message);
        var numbers = new BlankMeansDefaultAttribute { AllowedValues = new[] { "30", "60" } };
        Assert.Equal(60, numbers.Transform(null!, 60));
        Assert.Throws<ArgumentTransformationMetadataException>(() => numbers.Transform(null!, 0));
    }

    [Fact]
    public void AFileIsNotAPromptAndANumberIsNotASize()
    {
        var prompt = new TextArgumentAttribute("-Prompt", "text") { RowProperties = new[] { "Prompt" } };
        var size = new TextArgumentAttribute("-Size", "WIDTHxHEIGHT") { AllowNumbers = false };

        Assert.Contains("not a file ('a.png')", Assert.Throws<ArgumentTransformationMetadataException>(() => prompt.Transform(null!, new FileInfo("/tmp/a.png"))).Message);
        Assert.Equal("x", prompt.Transform(null!, "x"));
        var row = Object(("Prompt", "p"));
        Assert.Same(row, prompt.Transform(null!, row));
        Assert.Contains("Hashtable", Assert.Throws<ArgumentTransformationMetadataException>(() => prompt.Transform(null!, new Hashtable { ["Prompt"] = "p" })).Message);
        Assert.Contains("12345", Assert.Throws<ArgumentTransformationMetadataException>(() => size.Transform(null!, 12345L)).Message);
        Assert.Equal("1920x1080", size.Transform(null!, "1920x1080"));
    }

    [Fact]
    public void RowsAreNamedOnlyForPipelineInput()
    {
        var rows = new InputRows();
        rows.Next();
        rows.Next();

        Assert.Equal("Row 2 of the input (prompt 'a fox'): ", rows.Label(true, "a fox"));
        Assert.Equal(string.Empty, rows.Label(false, "a fox"));
    }

    // ---- 12: completion and Connect-ZAi -------------------------------------------------------

    [Fact]
    public void TaskIdsAreQuotedOnlyWhenTheyMustBe()
    {
        var recent = ZAiSession.Resolve().Account().RecentTaskIds;
        recent.Remember("plain-id-1");
        recent.Remember("has space");

        var texts = new TaskIdCompleter().CompleteArgument("Get-ZAiAsyncResult", "Id", "", null!, new Hashtable()).Select(r => r.CompletionText).ToList();

        Assert.Contains("plain-id-1", texts);
        Assert.Contains("'has space'", texts);
    }

    [Fact]
    public void SizesFollowTheModel()
    {
        string[] Complete(IArgumentCompleter completer, string? model) =>
            completer.CompleteArgument("x", "Size", "", null!, model is null ? new Hashtable() : new Hashtable { ["Model"] = model }).Select(r => r.CompletionText).ToArray();

        Assert.Contains("3840x2160", Complete(new VideoSizeCompleter(), null));
        Assert.Contains("3840x2160", Complete(new VideoSizeCompleter(), "CogVideoX-3"));
        Assert.Empty(Complete(new VideoSizeCompleter(), "viduq1-text"));
        Assert.Contains("1280x1280", Complete(new ImageSizeCompleter(), "glm-image"));
        Assert.Empty(Complete(new ImageSizeCompleter(), "other"));
    }

    [Fact]
    public void ConnectKeepsWhatAnEarlierConnectSet()
    {
        var earlier = new ConnectionOptions { BaseUri = new Uri("http://127.0.0.1:5000/api/"), Language = "zh-CN", MaxRetries = 1 };
        var later = new ConnectionOptions { MaxRetries = 6 };

        var merged = later.Over(earlier);

        Assert.Equal(earlier.BaseUri, merged.BaseUri);
        Assert.Equal("zh-CN", merged.Language);
        Assert.Equal(6, merged.MaxRetries);
        Assert.Same(later, later.Over(null));
    }

    [Theory]
    [InlineData("Weekly/Monthly Limit Exhausted. Your limit will reset at 2026-03-06 22:19:54", "2026-03-06 22:19:54")]
    [InlineData("limit resets on 2026-03-07", "2026-03-07")]
    [InlineData("Usage limit; will reset at 2026-03-06T05:00:00Z.", "2026-03-06T05:00:00Z")]
    [InlineData("Fair use policy violated", null)]
    [InlineData(null, null)]
    public void TheResetTimeIsReadFromTheMessage(string? message, string? expected)
    {
        Assert.Equal(expected, UsageLimitMessage.ResetTime(message));
    }
}
