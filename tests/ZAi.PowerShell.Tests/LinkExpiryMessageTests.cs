using System.Management.Automation;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 19, item 2: one clear message per refused link: what expired, the estimate, what helps.</summary>
public class LinkExpiryMessageTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);

    private static ZAiMediaException Refused(int status) =>
        new(MediaErrorReason.LinkExpired, $"The link of the video 0 of task 'v' answered HTTP {status}: it has expired or does not exist. Z.AI media links are temporary (images expire 30 days after generation); run Get-ZAiAsyncResult again for fresh links.", "https://cdn.test/v.mp4");

    [Fact]
    public void AVideoSeenFinishedJustNowSaysTheTaskFinishedBeforeTheEstimateStarted()
    {
        var item = new MediaItem("v", MediaKind.Video, 0, "https://cdn.test/v.mp4", null, expiresAt: Now.AddHours(23));

        var message = LinkExpiry.Explain(Refused(403), item, Now).Message;

        Assert.Equal(
            "The link of the video 0 of task 'v' has expired (HTTP 403). It was estimated to work until 2026-12-05 09:00 UTC, counting 1 day from when this session first saw the task finished; the task had finished earlier. "
            + "An expired link cannot be renewed and fetching the task again returns the same link: submit the task again, and save its media within 1 day next time.",
            message);
    }

    [Fact]
    public void AVideoPastItsEstimateSaysWhenItExpired()
    {
        var item = new MediaItem("v", MediaKind.Cover, 0, "https://cdn.test/c.jpg", null, expiresAt: Now.AddDays(-3));

        var message = LinkExpiry.Explain(Refused(410), item, Now).Message;

        Assert.StartsWith("The link of the cover 0 of task 'v' has expired (HTTP 410). It was estimated to expire at 2026-12-01 10:00 UTC, 3 days ago (video and cover links live 1 day after the task finished).", message);
        Assert.DoesNotContain("30 days", message);
    }

    [Fact]
    public void AnImageWithoutAnEstimateNamesItsOwnLifetimeOnly()
    {
        var item = new MediaItem("i", MediaKind.Image, 2, "https://cdn.test/i.png", null);

        var message = LinkExpiry.Explain(Refused(404), item, Now).Message;

        Assert.Equal(
            "The link of the image 2 of task 'i' has expired or does not exist (HTTP 404). Image links live 30 days after the task finished. "
            + "An expired link cannot be renewed and fetching the task again returns the same link: submit the task again, and save its media within 30 days next time.",
            message);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public void NoMessageTellsToRunGetAgainOrEndsASentenceWithAnd(int status)
    {
        foreach (var expires in new DateTime?[] { null, Now.AddDays(-2), Now.AddHours(5) })
        {
            foreach (var kind in new[] { MediaKind.Video, MediaKind.Cover, MediaKind.Image })
            {
                var message = LinkExpiry.Explain(Refused(status), new MediaItem("t", kind, 0, "https://cdn.test/x", null, expiresAt: expires), Now).Message;
                Assert.DoesNotContain("Get-ZAiAsyncResult", message);
                Assert.DoesNotContain("and)", message);
                Assert.DoesNotContain(", and.", message);
                Assert.DoesNotContain(kind == MediaKind.Image ? "1 day" : "30 days", message);
            }
        }
    }
}

/// <summary>Issue 19, item 7: the text of a result's list and field properties is their content, not a type name.</summary>
public class ResultExportTextTests
{
    [Fact]
    public void ListsAndFieldsReadAsTheirContent()
    {
        var result = TestResults.Parse("""
            {"id":"x1","model":"cogvideox-3","task_status":"SUCCESS","extra_field":{"tokens":3},"video_result":[
              {"url":"https://cdn.test/v0.mp4","cover_image_url":"https://cdn.test/c0.jpg"},
              {"url":"https://cdn.test/v1.mp4","cover_image_url":"https://cdn.test/c1.jpg"}]}
            """);

        Assert.Equal("https://cdn.test/v0.mp4 https://cdn.test/v1.mp4", result.VideoResult.ToString());
        Assert.Equal(string.Empty, result.ImageResult.ToString());
        Assert.Equal("""{"extra_field":{"tokens":3}}""", result.AdditionalProperties.ToString());
        Assert.Equal(2, result.MediaCount);
    }
}

/// <summary>Issue 19, item 7: a result's date reads as ISO 8601 as text and stays a DateTime otherwise.</summary>
public class IsoDateTests
{
    [Fact]
    public void ItsTextIsIsoWithTheOffsetAndItsFormatsStillWork()
    {
        var date = new DateTime(2026, 12, 4, 10, 59, 39, 123, DateTimeKind.Utc);
        var wrapped = IsoDate.Wrap(date)!;

        Assert.Equal(date, wrapped.BaseObject);
        Assert.Equal("2026-12-04T10:59:39.1230000Z", wrapped.ToString());
        Assert.Empty(wrapped.Members.Match("ToString", PSMemberTypes.CodeMethod));
        Assert.Null(IsoDate.Wrap(null));
        Assert.EndsWith("Z", IsoDate.Wrap(new DateTime(2026, 1, 1))!.ToString());
    }
}
