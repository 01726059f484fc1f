using System.Text.Json;
using ZAi.PowerShell.Models;
using Xunit;

namespace ZAi.PowerShell.Tests.TaskKinds;

public class ChatResultParsingTests
{
    private static readonly DateTime Retrieved = new(2026, 7, 1, 8, 0, 0, DateTimeKind.Utc);

    private static AsyncResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return AsyncResultParser.Parse(document.RootElement, "requested", Retrieved);
    }

    [Fact]
    public void CompletedChatHasItsTextReasoningFinishReasonAndUsageAsProperties()
    {
        var result = Parse("""
            {"id":"chat-1","request_id":"req-1","created":1751356800,"model":"glm-4.6","task_status":"SUCCESS",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Paris.","reasoning_content":"The capital of France is Paris.","tool_calls":null}}],
             "usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,"prompt_tokens_details":{"cached_tokens":4}},
             "web_search":[],"content_filter":[{"role":"assistant","level":3}]}
            """);

        Assert.Equal("chat-1", result.Id);
        Assert.Equal("Chat", result.Kind);
        Assert.Equal("Success", result.Status);
        Assert.Equal("Paris.", result.Content);
        Assert.Equal("The capital of France is Paris.", result.ReasoningContent);
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal(12, result.Usage!.PromptTokens);
        Assert.Equal(30, result.Usage.CompletionTokens);
        Assert.Equal(42, result.Usage.TotalTokens);
        Assert.Equal(4, result.Usage.CachedTokens);
        Assert.Equal("12 prompt + 30 completion = 42 tokens", result.Usage.ToString());
        var choice = Assert.Single(result.Choices);
        Assert.Equal("assistant", choice.Role);
        Assert.Null(choice.ToolCalls);
        Assert.False(result.AdditionalProperties.ContainsKey("choices"));
        Assert.False(result.AdditionalProperties.ContainsKey("usage"));
        Assert.True(result.AdditionalProperties.ContainsKey("created"));
        Assert.True(result.AdditionalProperties.ContainsKey("content_filter"));
        Assert.Equal(0, result.MediaCount);
    }

    [Fact]
    public void RunningChatIsKnownAsChatByItsModelAndHasNoText()
    {
        var result = Parse("""{"id":"chat-2","request_id":"r","model":"glm-4.5-air","task_status":"PROCESSING"}""");

        Assert.Equal("Chat", result.Kind);
        Assert.Equal("Processing", result.Status);
        Assert.Null(result.Content);
        Assert.Null(result.Usage);
        Assert.Empty(result.Choices);
    }

    [Fact]
    public void ToolCallsAndContentPartsAreKeptAndMissingTotalIsTheSum()
    {
        var result = Parse("""
            {"id":"chat-3","model":"glm-4.6","task_status":"SUCCESS",
             "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":[{"type":"text","text":"Hel"},{"type":"text","text":"lo"}],
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{}"}}]}},
               {"index":1,"finish_reason":"length","message":{"role":"assistant","content":"second"}}],
             "usage":{"prompt_tokens":3,"completion_tokens":4}}
            """);

        Assert.Equal("Hello", result.Content);
        Assert.Equal("tool_calls", result.FinishReason);
        Assert.NotNull(result.Choices[0].ToolCalls);
        Assert.Equal("second", result.Choices[1].Content);
        Assert.Equal(7, result.Usage!.TotalTokens);
        Assert.Null(result.Usage.CachedTokens);
    }

    [Theory]
    [InlineData("""{"id":"x","task_status":"SUCCESS","choices":"not a list","usage":7}""")]
    [InlineData("""{"id":"x","task_status":"SUCCESS","choices":[null,5,{"message":"text"}],"usage":{"prompt_tokens":"many"}}""")]
    public void OddChatShapesNeverThrow(string json)
    {
        var result = Parse(json);

        Assert.Equal("x", result.Id);
        Assert.Null(result.Content);
    }

    [Fact]
    public void SubmissionDetailsKeepTheChatParts()
    {
        var parsed = Parse("""{"id":"c","task_status":"SUCCESS","choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""");

        var filled = parsed.WithSubmission("glm-4.6", "req");

        Assert.Equal("hi", filled.Content);
        Assert.Equal(2, filled.Usage!.TotalTokens);
        Assert.Equal("req", filled.RequestId);
    }
}
