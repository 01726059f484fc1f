using System.Collections;
using System.Text.Json;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Models;
using ZAi.PowerShell.Submitting;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// A server that echoes the API key or sends control characters, header values that would inject headers, and
/// local inputs that would read without end: nothing reaches a stream, a message or the wire unchecked.
/// </summary>
public sealed class HostileServerTests : IClassFixture<EmulatorFixture>
{
    private const string Key = EmulatorFixture.ApiKeyValue;
    private const string Masked = "****7890";
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;

    public HostileServerTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
    }

    private (AsyncResultClient Client, CollectingLog Log) CreateClient()
    {
        var log = new CollectingLog();
        return (new AsyncResultClient(new ApiRequestSender(_fixture.Settings(maxRetries: 0), log)), log);
    }

    private string AddTask(TaskSpec spec)
    {
        spec.Id = EmulatorFixture.NewId("hostile");
        _server.AddTasks(spec);
        return spec.Id;
    }

    // ---- the key echoed by a server (item 5) ----------------------------------------------------------------------

    [Fact]
    public async Task AKeyEchoedInAnErrorBodyAndTheRequestIdHeaderIsMasked()
    {
        var id = AddTask(new TaskSpec { Faults = new List<FaultSpec> { new() { Type = "echoKey" } } });
        var (client, log) = CreateClient();

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.GetAsync(id, CancellationToken.None));

        Assert.Equal("req-" + Masked, error.RequestId);
        Assert.Contains("for key " + Masked, error.ApiMessage);
        Assert.Contains("(request id req-" + Masked + ")", error.Message);
        var debug = Assert.Single(log.DebugMessages);
        Assert.Contains("request id req-" + Masked, debug);
        Assert.All(log.All.Append(error.ToString()), text => Assert.DoesNotContain(Key, text));
    }

    [Fact]
    public async Task AKeyEchoedInTheStatusRequestIdAndMediaUrlsOfAResultIsMasked()
    {
        var extra = JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            video_result = new[] { new { url = "notaurl-" + Key, cover_image_url = "https://cdn.test/" + Key + ".jpg" } },
        })).RootElement;
        var id = AddTask(new TaskSpec { Outcome = "RUNNING " + Key, RequestId = Key, ExtraFields = extra });
        var (client, log) = CreateClient();

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal("RUNNING " + Masked, result.TaskStatus);
        Assert.Equal(Masked, result.RequestId);
        Assert.Equal("notaurl-" + Masked, result.VideoResult[0].Url);
        Assert.Equal("https://cdn.test/" + Masked + ".jpg", result.VideoResult[0].CoverImageUrl);
        var item = new MediaItem(id, MediaKind.Video, 0, result.VideoResult[0].Url, null);
        var invalid = Assert.Throws<ZAiMediaException>(() => FileDownloader.CheckUrl(item));
        Assert.DoesNotContain(Key, invalid.Message);
        Assert.All(log.All, text => Assert.DoesNotContain(Key, text));
    }

    [Fact]
    public void AKeyHiddenBehindJsonEscapesIsFoundToo()
    {
        var key = ApiKey.FromPlainText(Key);
        var escaped = Key.Replace("-", "\\u002D", StringComparison.Ordinal);
        var document = JsonDocument.Parse("{\"task_status\":\"x" + escaped + "\",\"" + escaped + "\":[1,{\"a\":\"" + escaped + "\"}],\"n\":2.50}");

        using var redacted = SecretRedactor.Redact(document, key);

        var text = redacted.RootElement.GetRawText();
        Assert.DoesNotContain(Key, text);
        Assert.Equal("x" + Masked, redacted.RootElement.GetProperty("task_status").GetString());
        Assert.Equal(Masked, redacted.RootElement.GetProperty(Masked)[1].GetProperty("a").GetString());
        Assert.Equal("2.50", redacted.RootElement.GetProperty("n").GetRawText());
    }

    [Fact]
    public void ABodyWithoutTheKeyIsLeftAsItIs()
    {
        var document = JsonDocument.Parse("{\"a\":\"b\"}");

        Assert.Same(document, SecretRedactor.Redact(document, ApiKey.FromPlainText(Key)));
    }

    // ---- control characters in server text (item 9) ---------------------------------------------------------------

    [Fact]
    public async Task EscapeSequencesAndBidiOverridesInServerTextNeverReachMessages()
    {
        var id = AddTask(new TaskSpec
        {
            Outcome = "RUN\u001b[2J\u001b[31mNING\u202E",
            Faults = new List<FaultSpec> { new() { Type = "status", Status = 400, Message = "bad\r\nFAKE: line\u001b]0;title\u0007" } },
        });
        var (client, _) = CreateClient();

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.GetAsync(id, CancellationToken.None));
        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Contains("bad??FAKE: line?]0;title?", error.Message);
        Assert.Equal("bad??FAKE: line?]0;title?", error.ApiMessage);
        Assert.Equal("RUN?[2J?[31mNING?", result.TaskStatus);
        Assert.Equal("x?y", new ZAiMediaException(MediaErrorReason.DownloadFailed, "x\u001by").Message);
    }

    // ---- header injection and the API key (items 4 and 9) ----------------------------------------------------------

    [Theory]
    [InlineData("en\r\nX-Injected: 1", "U+000D")]
    [InlineData("en\nX-Injected: 1", "U+000A")]
    [InlineData("en\u0000", "U+0000")]
    [InlineData("fr-\u00e9", "non-ASCII")]
    public void ALanguageThatWouldInjectAHeaderIsRefused(string language, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => _fixture.Settings(language: language));

        Assert.Contains("-Language", error.Message);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task AnOrdinaryLanguageStillReachesTheServerAsIs()
    {
        var id = AddTask(new TaskSpec());
        var log = new CollectingLog();
        var client = new AsyncResultClient(new ApiRequestSender(_fixture.Settings(language: "zh-CN,zh;q=0.9,en;q=0.5"), log));

        await client.GetAsync(id, CancellationToken.None);

        var request = Assert.Single(_server.GetRequests(id, "/api/"));
        Assert.Equal("zh-CN,zh;q=0.9,en;q=0.5", request.Headers["Accept-Language"]);
        Assert.DoesNotContain(request.Headers.Keys, name => name.Equals("X-Injected", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("sk-\u00e9abcdef12345")]
    [InlineData("sk\u2013abcdef12345")]
    [InlineData("\u0441k-abcdef12345")]
    public void ANonAsciiKeyIsRefusedWithoutShowingIt(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => ApiKey.FromPlainText(key));

        Assert.Contains("non-ASCII character at position", error.Message);
        Assert.DoesNotContain(key, error.Message);
        Assert.DoesNotContain("abcdef", error.Message);
    }

    // ---- local inputs that never end (items 7 and 9) ----------------------------------------------------------------

    [Fact]
    public void ADeviceGivenAsImageIsRefusedWithoutReadingItToTheEnd()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageInput.Resolve("/dev/zero", path => path));

        Assert.Contains("'/dev/zero' is not a regular file", error.Message);
    }

    [Fact]
    public void AHashtableThatHoldsItselfIsRefusedWithAClearError()
    {
        var inner = new Hashtable();
        inner["self"] = inner;
        var parameters = new Hashtable { ["style"] = "general", ["extra"] = inner };

        var error = Assert.Throws<ArgumentException>(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", Parameters = parameters }));

        Assert.Contains("-Parameter 'extra' contains itself", error.Message);
    }

    [Fact]
    public void AnArrayThatHoldsItselfIsRefusedToo()
    {
        var list = new ArrayList();
        list.Add(1);
        list.Add(list);

        var error = Assert.Throws<ArgumentException>(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", Parameters = new Hashtable { ["extra"] = list } }));

        Assert.Contains("contains itself", error.Message);
    }

    [Fact]
    public void TheSameHashtableTwiceSideBySideIsNotACycle()
    {
        var shared = new Hashtable { ["a"] = 1 };
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", Parameters = new Hashtable { ["extra"] = new object[] { shared, shared } } });

        Assert.Contains("\"extra\":[{\"a\":1},{\"a\":1}]", System.Text.Encoding.UTF8.GetString(request.ToJson()));
    }
}
