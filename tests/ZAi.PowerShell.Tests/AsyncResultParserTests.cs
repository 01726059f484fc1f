using System.Text.Json;
using ZAi.PowerShell.Models;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class AsyncResultParserTests
{
    private static readonly DateTime Retrieved = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    private static AsyncResult Parse(string json, string requestedId = "requested-id")
    {
        using var document = JsonDocument.Parse(json);
        return AsyncResultParser.Parse(document.RootElement, requestedId, Retrieved);
    }

    [Fact]
    public void VideoBodyIsReadWithEveryVideoAndCover()
    {
        var result = Parse("""
            {"model":"cogvideox-3","task_status":"SUCCESS",
             "video_result":[{"url":"https://cdn.example/a_0.mp4","cover_image_url":"https://cdn.example/a_cover_0.jpeg"},
                             {"url":"https://cdn.example/a_1.mp4","cover_image_url":"https://cdn.example/a_cover_1.png"}],
             "request_id":"req-1","id":"task-1"}
            """);

        Assert.Equal("task-1", result.Id);
        Assert.Equal("cogvideox-3", result.Model);
        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal("SUCCESS", result.TaskStatus);
        Assert.Equal("req-1", result.RequestId);
        Assert.Equal(ResultKind.Video, result.KindValue);
        Assert.True(result.IsTerminal);
        Assert.Equal(2, result.MediaCount);
        Assert.Empty(result.ImageResult);
        Assert.Empty(result.AdditionalProperties);
        Assert.Equal(Retrieved, result.RetrievedAt);
        Assert.Equal("task-1", result.ToString());

        Assert.Collection(
            result.VideoResult,
            v =>
            {
                Assert.Equal(0, v.Index);
                Assert.Equal("task-1", v.TaskId);
                Assert.Equal("https://cdn.example/a_0.mp4", v.Url);
                Assert.Equal("https://cdn.example/a_cover_0.jpeg", v.CoverImageUrl);
            },
            v =>
            {
                Assert.Equal(1, v.Index);
                Assert.Equal("https://cdn.example/a_1.mp4", v.Url);
                Assert.Equal("https://cdn.example/a_cover_1.png", v.CoverImageUrl);
            });
    }

    [Fact]
    public void ABodyThatRepeatsTheAskedIdSharesItsStringAndOneWithAnotherIdKeepsThatId()
    {
        // Built at run time, so not the same object as the literal in the body's text.
        var asked = string.Concat("task-", "7");
        var same = Parse("""{"id":"task-7","task_status":"SUCCESS","video_result":[{"url":"https://cdn.example/v.mp4"}]}""", asked);
        var other = Parse("""{"id":"task-8","task_status":"PROCESSING"}""", asked);

        Assert.Same(asked, same.Id);
        Assert.Same(asked, same.VideoResult[0].TaskId);
        Assert.Equal("task-8", other.Id);
    }

    [Fact]
    public void ImageBodyKeepsUrlBase64AndRevisedPrompt()
    {
        var result = Parse("""
            {"model":"glm-image","task_status":"SUCCESS","request_id":"req-2","id":"img-1",
             "image_result":[{"url":"https://cdn.example/i_0.png"},
                             {"b64_json":"iVBORw0KGgo=","revised_prompt":"a red fox, watercolour"}]}
            """);

        Assert.Equal(ResultKind.Image, result.KindValue);
        Assert.Empty(result.VideoResult);
        Assert.Equal(2, result.MediaCount);
        Assert.Collection(
            result.ImageResult,
            i =>
            {
                Assert.Equal(0, i.Index);
                Assert.Equal("img-1", i.TaskId);
                Assert.Equal("https://cdn.example/i_0.png", i.Url);
                Assert.Null(i.B64Json);
                Assert.Null(i.RevisedPrompt);
                Assert.Equal("https://cdn.example/i_0.png", i.ToString());
            },
            i =>
            {
                Assert.Equal(1, i.Index);
                Assert.Null(i.Url);
                Assert.Equal("iVBORw0KGgo=", i.B64Json);
                Assert.Equal("a red fox, watercolour", i.RevisedPrompt);
                Assert.Equal("(inline base64 image)", i.ToString());
            });
    }

    [Fact]
    public void ChatBodyIsChatKindWithChoicesAndUsageTyped()
    {
        var result = Parse("""
            {"id":"chat-1","request_id":"req-3","model":"glm-4.5","task_status":"SUCCESS",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hello"}}],
             "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}
            """);

        Assert.Equal(ResultKind.Chat, result.KindValue);
        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(0, result.MediaCount);

        var choice = Assert.Single(result.Choices);
        Assert.Equal(0, choice.Index);
        Assert.Equal("stop", choice.FinishReason);
        Assert.Equal("assistant", choice.Role);
        Assert.Equal("Hello", result.Content);
        Assert.Equal(12L, result.Usage!.TotalTokens);
        Assert.Empty(result.AdditionalProperties);
    }

    [Fact]
    public void SubmittedIsProcessingAndTheRawStatusIsKept()
    {
        var result = Parse("""{"id":"t","model":"cogvideox-3","task_status":"SUBMITTED"}""");

        Assert.Equal(AsyncTaskStatus.Processing, result.StatusValue);
        Assert.Equal("SUBMITTED", result.TaskStatus);
        Assert.False(result.IsTerminal);
    }

    [Theory]
    [InlineData("PROCESSING", AsyncTaskStatus.Processing, false)]
    [InlineData("SUBMITTED", AsyncTaskStatus.Processing, false)]
    [InlineData("SUCCESS", AsyncTaskStatus.Success, true)]
    [InlineData("FAIL", AsyncTaskStatus.Fail, true)]
    [InlineData("success", AsyncTaskStatus.Success, true)]
    [InlineData(" FAIL ", AsyncTaskStatus.Fail, true)]
    [InlineData("WEIRD", AsyncTaskStatus.Unknown, false)]
    [InlineData("", AsyncTaskStatus.Unknown, false)]
    public void StatusIsMappedAndTheRawValueKeptVerbatim(string raw, AsyncTaskStatus expected, bool terminal)
    {
        var result = Parse($$"""{"id":"t","task_status":{{JsonSerializer.Serialize(raw)}}}""");

        Assert.Equal(expected, result.StatusValue);
        Assert.Equal(raw, result.TaskStatus);
        Assert.Equal(terminal, result.IsTerminal);
    }

    [Fact]
    public void UnknownStatusIsUnknownAndNotTerminalWithRawKept()
    {
        var result = Parse("""{"id":"t","model":"cogvideox-3","task_status":"WEIRD"}""");

        Assert.Equal(AsyncTaskStatus.Unknown, result.StatusValue);
        Assert.Equal("WEIRD", result.TaskStatus);
        Assert.False(result.IsTerminal);
    }

    [Fact]
    public void MissingTaskStatusIsUnknownWithNullRaw()
    {
        var result = Parse("""{"id":"t","model":"cogvideox-3"}""");

        Assert.Equal(AsyncTaskStatus.Unknown, result.StatusValue);
        Assert.Null(result.TaskStatus);
        Assert.False(result.IsTerminal);
    }

    [Fact]
    public void UnknownFieldsAreKeptAsPlainValues()
    {
        var result = Parse("""
            {"id":"t","task_status":"PROCESSING","model":"cogvideox-3",
             "progress":42,"ratio":1.5,"flag":true,"off":false,"nothing":null,"note":"hi",
             "nested":{"a":[1,"two",{"b":false}],"c":{"d":"e"}},
             "list":[1,2,3]}
            """);

        var extra = result.AdditionalProperties;
        Assert.Equal(
            new[] { "flag", "list", "nested", "note", "nothing", "off", "progress", "ratio" },
            extra.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray());
        Assert.Equal(42L, extra["progress"]);
        Assert.Equal(1.5, extra["ratio"]);
        Assert.Equal(true, extra["flag"]);
        Assert.Equal(false, extra["off"]);
        Assert.Null(extra["nothing"]);
        Assert.Equal("hi", extra["note"]);
        Assert.Equal(new object?[] { 1L, 2L, 3L }, Assert.IsType<object?[]>(extra["list"]));

        var nested = Assert.IsType<Dictionary<string, object?>>(extra["nested"]);
        var a = Assert.IsType<object?[]>(nested["a"]);
        Assert.Equal(1L, a[0]);
        Assert.Equal("two", a[1]);
        Assert.Equal(false, Assert.IsType<Dictionary<string, object?>>(a[2])["b"]);
        Assert.Equal("e", Assert.IsType<Dictionary<string, object?>>(nested["c"])["d"]);

        AssertNoJsonElements(extra);
    }

    [Fact]
    public void ModelledFieldsAreNotRepeatedInAdditionalProperties()
    {
        var result = Parse("""
            {"id":"t","model":"m","task_status":"SUCCESS","request_id":"r","video_result":[],"image_result":[],"other":1}
            """);

        Assert.Equal(new[] { "other" }, result.AdditionalProperties.Keys.ToArray());
    }

    [Theory]
    [InlineData("""{"model":"cogvideox-3","task_status":"SUCCESS","video_result":[{"url":"u"}]}""")]
    [InlineData("""{"id":"","model":"cogvideox-3","task_status":"SUCCESS","video_result":[{"url":"u"}]}""")]
    [InlineData("""{"id":null,"model":"cogvideox-3","task_status":"SUCCESS","video_result":[{"url":"u"}]}""")]
    public void MissingIdFallsBackToTheRequestedId(string json)
    {
        var result = Parse(json, requestedId: "asked-for");

        Assert.Equal("asked-for", result.Id);
        Assert.Equal("asked-for", Assert.Single(result.VideoResult).TaskId);
    }

    [Fact]
    public void NumericIdIsReadAsText()
    {
        Assert.Equal("12345", Parse("""{"id":12345,"task_status":"PROCESSING"}""").Id);
    }

    [Theory]
    [InlineData("cogvideox-3", ResultKind.Video)]
    [InlineData("viduq1-text", ResultKind.Video)]
    [InlineData("vidu2-reference", ResultKind.Video)]
    [InlineData("glm-image", ResultKind.Image)]
    [InlineData("cogview-4", ResultKind.Image)]
    [InlineData("glm-4.5", ResultKind.Chat)]
    public void KindIsInferredFromTheModelWhenThereAreNoResults(string model, ResultKind expected)
    {
        var result = Parse($$"""{"id":"t","model":"{{model}}","task_status":"PROCESSING"}""");

        Assert.Equal(expected, result.KindValue);
        Assert.Equal(0, result.MediaCount);
    }

    [Fact]
    public void KindIsUnknownWithoutModelOrResults()
    {
        Assert.Equal(ResultKind.Unknown, Parse("""{"id":"t","task_status":"PROCESSING"}""").KindValue);
    }

    [Fact]
    public void ResultListsDecideTheKindOverTheModel()
    {
        var result = Parse("""{"id":"t","model":"glm-image","task_status":"SUCCESS","video_result":[{"url":"v"}]}""");

        Assert.Equal(ResultKind.Video, result.KindValue);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"id":"t"}]""")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public void NonObjectRootThrowsFormatException(string json)
    {
        var error = Assert.Throws<FormatException>(() => Parse(json));
        Assert.Contains("JSON object", error.Message);
    }

    [Fact]
    public void NullFieldsNeverThrow()
    {
        var result = Parse("""
            {"id":null,"model":null,"task_status":null,"request_id":null,"video_result":null,"image_result":null}
            """, requestedId: "fallback");

        Assert.Equal("fallback", result.Id);
        Assert.Null(result.Model);
        Assert.Null(result.TaskStatus);
        Assert.Equal(AsyncTaskStatus.Unknown, result.StatusValue);
        Assert.Null(result.RequestId);
        Assert.Empty(result.VideoResult);
        Assert.Empty(result.ImageResult);
        Assert.Empty(result.AdditionalProperties);
    }

    [Fact]
    public void OddResultItemsNeverThrow()
    {
        var result = Parse("""
            {"id":"t","task_status":"SUCCESS",
             "video_result":[null,"text",{"url":null,"cover_image_url":5},{}],
             "image_result":{"url":"not-a-list"}}
            """);

        // Only the item with a link is listed (at its place in the list); the odd list is kept raw, and the lone
        // image_result object is one image (z-ai-sdk-java reads both shapes).
        var video = Assert.Single(result.VideoResult);
        Assert.Null(video.Url);
        Assert.Equal("5", video.CoverImageUrl);
        Assert.Equal(2, video.Index);
        Assert.Equal(string.Empty, video.ToString());
        Assert.Equal(4, ((object?[])result.UnreadFields["video_result"]!).Length);
        Assert.Equal("not-a-list", Assert.Single(result.ImageResult).Url);
    }

    [Fact]
    public void ScalarsOfTheWrongTypeAreReadAsText()
    {
        var result = Parse("""{"id":"t","task_status":2,"model":true,"request_id":7}""");

        Assert.Equal("2", result.TaskStatus);
        Assert.Equal(AsyncTaskStatus.Unknown, result.StatusValue);
        Assert.Equal("true", result.Model);
        Assert.Equal("7", result.RequestId);
    }

    private static void AssertNoJsonElements(object? value)
    {
        Assert.False(value is JsonElement, "A JsonElement was left in the converted values.");
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> map:
                foreach (var pair in map) AssertNoJsonElements(pair.Value);
                break;
            case object?[] items:
                foreach (var item in items) AssertNoJsonElements(item);
                break;
        }
    }
}
