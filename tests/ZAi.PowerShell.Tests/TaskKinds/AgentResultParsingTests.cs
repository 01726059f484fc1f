using System.Text.Json;
using ZAi.PowerShell.Models;
using Xunit;

namespace ZAi.PowerShell.Tests.TaskKinds;

public class AgentResultParsingTests
{
    private static readonly DateTime Retrieved = new(2026, 7, 1, 8, 0, 0, DateTimeKind.Utc);

    private static AsyncResult Parse(string json, string requested = "asked-id")
    {
        using var document = JsonDocument.Parse(json);
        return AgentResultParser.Parse(document.RootElement, requested, "vidu_template_agent", Retrieved);
    }

    [Theory]
    [InlineData("message")]
    [InlineData("messages")]
    public void SuccessCarriesTheVideoInEitherSpelling(string spelling)
    {
        var result = Parse($$$"""
            {"status":"success","agent_id":"vidu_template_agent","async_id":"a-1",
             "choices":[{"index":0,"finish_reason":"stop","{{{spelling}}}":[{"role":"assistant","content":[{"type":"video_url","video_url":"https://cdn.example/e_0.mp4"}]}]}],
             "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}
            """);

        Assert.Equal("a-1", result.Id);
        Assert.Equal("vidu_template_agent", result.AgentId);
        Assert.Equal("Success", result.Status);
        Assert.Equal("success", result.TaskStatus);
        Assert.Equal("Video", result.Kind);
        Assert.Equal("https://cdn.example/e_0.mp4", result.VideoUrl);
        Assert.Equal(1, result.MediaCount);
        Assert.Equal(3, result.Usage!.TotalTokens);
        Assert.NotNull(result.ExpiresAt);
        Assert.Empty(result.AdditionalProperties);
    }

    [Theory]
    [InlineData("pending", "Processing")]
    [InlineData("PENDING", "Processing")]
    [InlineData("success", "Success")]
    [InlineData("failed", "Fail")]
    [InlineData("Failed", "Fail")]
    [InlineData("queued", "Unknown")]
    public void LowerCaseStatusesAreMappedAndKeptRaw(string raw, string status)
    {
        var result = Parse($$"""{"status":"{{raw}}","agent_id":"vidu_template_agent","async_id":"a-2"}""");

        Assert.Equal(status, result.Status);
        Assert.Equal(raw, result.TaskStatus);
        Assert.Equal(status == "Success" || status == "Fail", result.IsTerminal);
    }

    [Fact]
    public void FailedAgentKeepsItsErrorAndTheFailureMessageSaysIt()
    {
        var result = Parse("""{"status":"failed","agent_id":"vidu_template_agent","async_id":"a-3","error":{"code":1301,"message":"Unsafe image"}}""");

        Assert.Equal("Fail", result.Status);
        Assert.Equal("1301", result.ErrorCode);
        Assert.Equal("Unsafe image", result.ErrorMessage);
        var failure = ZAiTaskFailedException.ForFailedResult(result);
        Assert.Contains("Error 1301: Unsafe image", failure.Message);
    }

    [Fact]
    public void VideoUrlAsAnObjectAndALoneMessageObjectAreRead()
    {
        var result = Parse("""
            {"status":"success","async_id":"a-4",
             "choices":[{"messages":{"role":"assistant","content":[{"type":"text","text":"done"},{"type":"video_url","video_url":{"url":"https://cdn.example/o.mp4"}}]}}]}
            """);

        Assert.Equal("https://cdn.example/o.mp4", result.VideoUrl);
        Assert.Equal("vidu_template_agent", result.AgentId);
    }

    [Theory]
    [InlineData("""{"status":"success"}""")]
    [InlineData("""{"status":5,"choices":[1,"x",{"message":[{"content":"text"}]}],"error":"plain"}""")]
    public void OddAgentShapesNeverThrowAndFallBackToTheAskedId(string json)
    {
        var result = Parse(json);

        Assert.Equal("asked-id", result.Id);
        Assert.Equal(0, result.MediaCount);
    }
}
