using System.Collections;
using System.Text.Json;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Models;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// Bodies recorded from the live API or shown by its official SDKs that differ from the documentation (issue #25,
/// "shapes from the wild"): each is read, and a field of a known name in a shape the parser does not read is kept raw
/// and warned of, never read as "no media".
/// </summary>
public class WildShapesParsingTests
{
    private static readonly DateTime Retrieved = new(2026, 12, 6, 6, 0, 0, DateTimeKind.Utc);

    private static AsyncResult Parse(string json, string requestedId = "asked-id")
    {
        using var document = JsonDocument.Parse(json);
        return AsyncResultParser.Parse(document.RootElement, requestedId, Retrieved);
    }

    private static AsyncResult ParseAgent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return AgentResultParser.Parse(document.RootElement, "asked-id", "vidu_template_agent", Retrieved);
    }

    [Fact]
    public void ImageResultAsOneObjectIsOneImage()
    {
        var result = Parse("""
            {"id":"t","model":"glm-image","task_status":"SUCCESS","request_id":"req-1",
             "image_result":{"url":"https://cdn.example/one.png","revised_prompt":"a cat, rewritten"}}
            """);

        var image = Assert.Single(result.ImageResult);
        Assert.Equal("https://cdn.example/one.png", image.Url);
        Assert.Equal("a cat, rewritten", image.RevisedPrompt);
        Assert.Equal(0, image.Index);
        Assert.Equal(1, result.MediaCount);
        Assert.Equal(ResultKind.Image, result.KindValue);
        Assert.Empty(result.UnreadFields);
        Assert.Null(result.UnreadWarning);
    }

    [Fact]
    public void VideoResultAsOneObjectIsOneVideoWithItsCover()
    {
        var result = Parse("""{"id":"t","task_status":"SUCCESS","video_result":{"url":"https://cdn.example/v.mp4","cover_image_url":"https://cdn.example/c.jpeg"}}""");

        var video = Assert.Single(result.VideoResult);
        Assert.Equal("https://cdn.example/v.mp4", video.Url);
        Assert.Equal("https://cdn.example/c.jpeg", video.CoverImageUrl);
        Assert.Empty(result.UnreadFields);
    }

    [Theory]
    [InlineData("image_result", "\"https://cdn.example/one.png\"", "text")]
    [InlineData("image_result", "42", "a number")]
    [InlineData("image_result", "[\"https://cdn.example/one.png\"]", "a list of values that are not objects")]
    [InlineData("image_result", "{\"link\":\"https://cdn.example/one.png\"}", "an object")]
    [InlineData("video_result", "\"https://cdn.example/v.mp4\"", "text")]
    [InlineData("video_result", "[{\"href\":\"https://cdn.example/v.mp4\"}]", "a list of values that are not objects")]
    public void AMediaFieldOfAnotherShapeIsKeptRawAndWarnedOfNeverReadAsNoMedia(string field, string value, string shape)
    {
        var result = Parse($$"""{"id":"t","task_status":"SUCCESS",{{JsonSerializer.Serialize(field)}}:{{value}}}""");

        Assert.Equal(0, result.MediaCount);
        var kept = Assert.Single(result.UnreadFields);
        Assert.Equal(field, kept.Key);
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(value).RootElement), JsonSerializer.Serialize(kept.Value));
        Assert.False(result.AdditionalProperties.ContainsKey(field));
        Assert.Equal(field == "video_result" ? ResultKind.Video : ResultKind.Image, result.KindValue);
        Assert.Equal(
            $"Task 't': the API sent {field} ({(shape == "a list of values that are not objects" && value.Contains("href") ? "a list of values that are not objects" : shape)}) in a shape this module does not read, "
            + "so what it holds is not among the result's media or answers. The raw value is kept in the result's UnreadFields property.",
            result.UnreadWarning);
    }

    [Fact]
    public void AListWithSomeReadableItemsKeepsThemAndTheWholeRawList()
    {
        var result = Parse("""{"id":"t","task_status":"SUCCESS","image_result":[{"url":"https://cdn.example/0.png"},"odd",{"url":"https://cdn.example/2.png"}]}""");

        Assert.Equal(new[] { 0, 2 }, result.ImageResult.Select(i => i.Index).ToArray());
        Assert.Equal(3, ((object?[])result.UnreadFields["image_result"]!).Length);
        Assert.NotNull(result.UnreadWarning);
    }

    [Fact]
    public void TheWarningIsClaimedOncePerResultAndTheRawValueSurvivesCopies()
    {
        var result = Parse("""{"id":"t","task_status":"SUCCESS","image_result":"https://cdn.example/one.png"}""");

        Assert.True(result.ClaimUnreadWarning());
        Assert.False(result.ClaimUnreadWarning());
        var copy = result.WithSubmission("glm-image", "req-000001");
        Assert.Equal("https://cdn.example/one.png", copy.UnreadFields["image_result"]);
        Assert.Equal("\"image_result\":\"https://cdn.example/one.png\"", copy.UnreadFields.ToString().Trim('{', '}'));
    }

    [Fact]
    public void ChatChoicesAsOneObjectAreOneAnswer()
    {
        var result = Parse("""{"id":"t","model":"GLM-Z1-AirX","task_status":"SUCCESS","choices":{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hi"}}}""");

        Assert.Equal("Hi", result.Content);
        Assert.Equal(ResultKind.Chat, result.KindValue);
        Assert.Empty(result.UnreadFields);
    }

    [Theory]
    [InlineData("""{"id":"t","task_status":"SUCCESS","choices":"Hi"}""", "choices")]
    [InlineData("""{"id":"t","task_status":"SUCCESS","choices":[{"message":"Hi"}]}""", "choices[0].message")]
    [InlineData("""{"id":"t","task_status":"SUCCESS","choices":[{"message":{"content":42}}]}""", "choices[0].message.content")]
    public void AChatAnswerOfAnotherShapeIsKeptRawAndWarnedOf(string json, string path)
    {
        var result = Parse(json);

        Assert.Null(result.Content);
        Assert.Equal(path, Assert.Single(result.UnreadFields).Key);
        Assert.StartsWith($"Task 't': the API sent {path} (", result.UnreadWarning);
    }

    [Fact]
    public void AgentChoicesAsOneObjectCarryTheirVideo()
    {
        var result = ParseAgent("""{"status":"success","async_id":"a1","choices":{"message":{"content":{"type":"video_url","video_url":"https://cdn.example/e.mp4"}}}}""");

        Assert.Equal("https://cdn.example/e.mp4", Assert.Single(result.VideoResult).Url);
        Assert.Empty(result.UnreadFields);
    }

    [Theory]
    [InlineData("""{"status":"success","choices":"https://cdn.example/e.mp4"}""", "choices")]
    [InlineData("""{"status":"success","choices":[{"message":[{"content":[{"type":"video_url","video_url":["https://cdn.example/e.mp4"]}]}]}]}""", "choices[0].message[0].content[0].video_url")]
    [InlineData("""{"status":"success","choices":[{"messages":[{"content":7}]}]}""", "choices[0].messages[0].content")]
    public void AnAgentVideoOfAnotherShapeIsKeptRawAndWarnedOf(string json, string path)
    {
        var result = ParseAgent(json);

        Assert.Equal(0, result.MediaCount);
        Assert.Equal(path, Assert.Single(result.UnreadFields).Key);
        Assert.NotNull(result.UnreadWarning);
    }

    [Fact]
    public void ASuccessBodyWithoutIdIsTheTaskAskedFor()
    {
        var result = Parse("""{"model":"cogvideox-flash","request_id":"8802648481093947843","task_status":"SUCCESS","video_result":[{"cover_image_url":"https://cdn.example/c.png","url":"https://cdn.example/v.mp4"}]}""", "101002-8802648481093947842");

        Assert.Equal("101002-8802648481093947842", result.Id);
        Assert.Equal("101002-8802648481093947842", Assert.Single(result.VideoResult).TaskId);
        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
    }

    [Fact]
    public void AChatWithNullModelWhileProcessingAndUpperCaseModelWhenDoneIsReadAndPriced()
    {
        var running = Parse("""{"id":"101002-8802648481093947842","request_id":"-8802648481093947843","model":null,"task_status":"PROCESSING"}""");
        Assert.Null(running.Model);
        Assert.Equal(ResultKind.Unknown, running.KindValue);
        Assert.Equal("-8802648481093947843", running.RequestId);
        Assert.Equal(ResultKind.Chat, running.WithSubmission("glm-4.6", "req-000001").KindValue);

        var done = Parse("""{"id":"101002-8802648481093947842","request_id":"-8802648481093947843","model":"GLM-Z1-AirX","task_status":"SUCCESS","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}]}""");
        Assert.Equal("GLM-Z1-AirX", done.Model);
        Assert.Equal(ResultKind.Chat, done.KindValue);
        Assert.Equal("-8802648481093947843", done.RequestId);
    }

    [Theory]
    [InlineData("GLM-Z1-AirX", ResultKind.Chat)]
    [InlineData("COGVIDEOX-3", ResultKind.Video)]
    [InlineData("Vidu2-Image", ResultKind.Video)]
    [InlineData("GLM-IMAGE", ResultKind.Image)]
    [InlineData("CogView-4", ResultKind.Image)]
    [InlineData(null, ResultKind.Unknown)]
    [InlineData("", ResultKind.Unknown)]
    public void ModelToKindIgnoresCaseAndANullModelIsUnknown(string? model, ResultKind kind)
    {
        Assert.Equal(kind, KnownModels.KindOf(model));
        Assert.Equal(kind, Parse(model is null ? """{"id":"t","task_status":"PROCESSING","model":null}""" : $$"""{"id":"t","task_status":"PROCESSING","model":"{{model}}"}""").KindValue);
    }

    [Fact]
    public void PricesIgnoreTheModelsCaseAndANullModelHasNoPrice()
    {
        Assert.Equal(0.2m, PriceTable.BuiltIn.Estimate("COGVIDEOX-3"));
        Assert.Equal(0.015m, PriceTable.BuiltIn.Estimate("GLM-Image"));
        Assert.Null(PriceTable.BuiltIn.Estimate(null));
        Assert.Null(PriceTable.BuiltIn.Estimate("GLM-Z1-AirX"));
    }

    [Fact]
    public void OptimizedPromptOfAVideoIsAProperty()
    {
        var result = Parse("""{"id":"t","model":"cogvideox-3","task_status":"SUCCESS","optimized_prompt":"A calm sea at dawn, cinematic","video_result":[{"url":"https://cdn.example/v.mp4","cover_image_url":"https://cdn.example/c.jpeg"}]}""");

        Assert.Equal("A calm sea at dawn, cinematic", result.OptimizedPrompt);
        Assert.False(result.AdditionalProperties.ContainsKey("optimized_prompt"));
        Assert.Equal("A calm sea at dawn, cinematic", result.WithSubmission("cogvideox-3", "req-000001").OptimizedPrompt);
    }

    [Fact]
    public void AnOptimizedPromptThatIsNotTextIsKeptAsAnAdditionalProperty()
    {
        var result = Parse("""{"id":"t","task_status":"SUCCESS","optimized_prompt":{"en":"sea"}}""");

        Assert.Null(result.OptimizedPrompt);
        Assert.Equal("sea", ((IDictionary)result.AdditionalProperties["optimized_prompt"]!)["en"]);
    }
}
