using ZAi.PowerShell.Journal;
using System.Collections;
using System.Text;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.TaskKinds;

public class RequestFactoryTests
{
    private static string Body(GenerationRequest request) => Encoding.UTF8.GetString(request.ToJson());

    [Fact]
    public void ChatBodyHasTheMessagesSamplingAndRequestIdInOrder()
    {
        var request = ChatRequestFactory.Create(new ChatCompletionOptions
        {
            Prompt = "Summarise this.", System = "Be brief.", Model = "glm-4.5", Temperature = 0.2, TopP = 0.9, MaxTokens = 200,
            DoSample = true, Stop = new[] { "END" }, Thinking = "disabled", ResponseFormat = "json_object", RequestId = "req-chat-1", UserId = "user-0001",
        });

        Assert.Equal(
            "{\"model\":\"glm-4.5\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Summarise this.\"}],"
            + "\"temperature\":0.2,\"top_p\":0.9,\"max_tokens\":200,\"do_sample\":true,\"stop\":[\"END\"],\"thinking\":{\"type\":\"disabled\"},"
            + "\"response_format\":{\"type\":\"json_object\"},\"request_id\":\"req-chat-1\",\"user_id\":\"user-0001\"}",
            Body(request));
        Assert.Equal("Summarise this.", request.Prompt);
        Assert.Equal("paas/v4/async/chat/completions", request.Endpoint.Path);
        Assert.Equal("Chat request 'req-chat-1'", request.Subject);
    }

    [Fact]
    public void MessagesAreAWholeConversationAndThePromptIsTheLastUserMessage()
    {
        var messages = new object[]
        {
            new Hashtable { ["role"] = "user", ["content"] = "Hi" },
            new Hashtable { ["Role"] = "assistant", ["Content"] = "Hello" },
            new Hashtable { ["role"] = "user", ["content"] = "Translate 'cat'." },
        };

        var request = ChatRequestFactory.Create(new ChatCompletionOptions { Messages = messages, RequestId = "req-r1" });

        Assert.Contains("\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"Translate 'cat'.\"}]", Body(request));
        Assert.Equal("Translate 'cat'.", request.Prompt);
        Assert.Equal("glm-4.6", request.Model);
    }

    [Theory]
    [InlineData(null, "Give -Prompt")]
    [InlineData(" ", "-Prompt is empty")]
    public void AChatWithoutAPromptIsRefused(string? prompt, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ChatRequestFactory.Create(new ChatCompletionOptions { Prompt = prompt }));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void BadMessagesAreRefusedNamingTheItem()
    {
        var badRole = new object[] { new Hashtable { ["role"] = "user", ["content"] = "a" }, new Hashtable { ["role"] = "robot", ["content"] = "b" } };
        var noContent = new object[] { new Hashtable { ["role"] = "user" } };

        Assert.Contains("-Messages item 1 has role 'robot'", Assert.Throws<ArgumentException>(() => ChatRequestFactory.Create(new ChatCompletionOptions { Messages = badRole })).Message);
        Assert.Contains("-Messages item 0 (user) has no content", Assert.Throws<ArgumentException>(() => ChatRequestFactory.Create(new ChatCompletionOptions { Messages = noContent })).Message);
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() => ChatRequestFactory.Create(new ChatCompletionOptions { Messages = noContent, Prompt = "x" })).Message);
        Assert.Contains("is not a message", Assert.Throws<ArgumentException>(() => ChatRequestFactory.Create(new ChatCompletionOptions { Messages = new object[] { "text" } })).Message);
    }

    [Fact]
    public void TheSameChatTwiceHasOneFingerprintWhateverItsRequestId()
    {
        var a = ChatRequestFactory.Create(new ChatCompletionOptions { Prompt = "same" });
        var b = ChatRequestFactory.Create(new ChatCompletionOptions { Prompt = "same" });
        var c = ChatRequestFactory.Create(new ChatCompletionOptions { Prompt = "other" });

        Assert.NotEqual(a.RequestId, b.RequestId);
        Assert.Equal(a.Fingerprint(), b.Fingerprint());
        Assert.NotEqual(a.Fingerprint(), c.Fingerprint());
    }

    [Fact]
    public void EffectBodyIsTheAgentsShapeWithoutARequestId()
    {
        var request = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://images.example/me.png", Prompt = "dance", RequestId = "local-1" });

        Assert.Equal(
            "{\"agent_id\":\"vidu_template_agent\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"https://images.example/me.png\"},{\"type\":\"text\",\"text\":\"dance\"}]}],\"custom_variables\":{\"template\":\"bodyshake\"}}",
            Body(request));
        Assert.Equal("v1/agents", request.Endpoint.Path);
        Assert.True(request.Endpoint.IsAgent);
        Assert.Equal("local-1", request.RequestId);
        Assert.Equal("vidu_template_agent", request.Model);
    }

    [Fact]
    public void AnInlineEffectImageIsShortenedInDescriptionsAndHashedInTheJournal()
    {
        var image = "data:image/png;base64," + new string('A', 400);
        var request = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = image });

        Assert.DoesNotContain(new string('A', 200), request.Describe());
        var line = Encoding.UTF8.GetString(JournalRecord.Submit(request, 1, DateTime.UtcNow).ToLine());
        Assert.DoesNotContain(new string('A', 200), line);
        Assert.Contains("sha256:", line);
    }

    [Theory]
    [InlineData(null, "https://x.example/a.png", "-Template is required")]
    [InlineData("two words", "https://x.example/a.png", "is not a template name")]
    [InlineData("bodyshake", null, "-ImageUrl is required")]
    public void BadEffectsAreRefusedNamingTheParameter(string? template, string? image, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = template, Image = image }));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void EffectsRefuseAUserId()
    {
        var error = Assert.Throws<ArgumentException>(() => VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://x.example/a.png", UserId = "user-0001" }));
        Assert.Contains("-UserId is not taken by the agents API", error.Message);
    }
}
