using System.Text.Json;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>The async-result client over real loopback HTTP against the emulator.</summary>
public class AsyncResultClientTests : IClassFixture<EmulatorFixture>
{
    private const string Key = EmulatorFixture.ApiKeyValue;
    private const string Prefix = "/api/paas/v4/async-result/";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;

    public AsyncResultClientTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
    }

    // ---- helpers ---------------------------------------------------------------------------

    private (AsyncResultClient Client, CollectingLog Log) CreateClient(
        int maxRetries = 3,
        TimeSpan? requestTimeout = null,
        string key = Key,
        string language = "en-US,en")
    {
        var settings = _fixture.Settings(maxRetries, requestTimeout, key, language);
        var log = new CollectingLog();
        return (new AsyncResultClient(new ApiRequestSender(settings, log)), log);
    }

    private string AddTask(TaskSpec spec)
    {
        spec.Id ??= EmulatorFixture.NewId("task");
        _server.AddTasks(spec);
        return spec.Id;
    }

    private string AddTaskWithFaults(params FaultSpec[] faults) => AddTask(new TaskSpec { Faults = faults.ToList() });

    private int RequestCount(string id) => _server.GetTask(id)!.RequestCount;

    private static async Task<ZAiApiException> FailsAsync(AsyncResultClient client, string id, CollectingLog log)
    {
        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.GetAsync(id, CancellationToken.None));
        AssertNoSecret(log, error);
        return error;
    }

    /// <summary>The key must never reach a message a user or a log can see.</summary>
    private static void AssertNoSecret(CollectingLog log, Exception? error = null, params string[] otherSecrets)
    {
        var secrets = otherSecrets.Append(Key).ToArray();
        var texts = log.All.ToList();
        if (error is ZAiApiException api)
        {
            texts.Add(api.Message);
            texts.Add(api.ToString());
            if (api.ApiMessage is not null) texts.Add(api.ApiMessage);
        }
        else if (error is not null)
        {
            texts.Add(error.ToString());
        }
        foreach (var text in texts)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text);
            }
        }
    }

    // ---- success ---------------------------------------------------------------------------

    [Fact]
    public async Task VideoTaskSucceeds()
    {
        var id = AddTask(new TaskSpec { Kind = "video", VideoCount = 2, RequestId = "req-video-1" });
        var (client, log) = CreateClient();

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(id, result.Id);
        Assert.Equal("cogvideox-3", result.Model);
        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal("SUCCESS", result.TaskStatus);
        Assert.Equal("req-video-1", result.RequestId);
        Assert.Equal(ResultKind.Video, result.KindValue);
        Assert.Equal(2, result.VideoResult.Count);
        Assert.All(result.VideoResult, v =>
        {
            Assert.Equal(id, v.TaskId);
            Assert.StartsWith("http://localhost:", v.Url);
            Assert.EndsWith(".mp4", v.Url);
            Assert.EndsWith(".jpeg", v.CoverImageUrl);
        });
        Assert.Equal(1, RequestCount(id));
        Assert.Single(log.DebugMessages);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task ImageTaskSucceedsWithInlineBase64AndRevisedPrompt()
    {
        var id = AddTask(new TaskSpec { Kind = "image", ImageCount = 2, ImageB64 = true });
        var (client, log) = CreateClient();

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(ResultKind.Image, result.KindValue);
        Assert.Equal("glm-image", result.Model);
        Assert.Equal(2, result.ImageResult.Count);
        Assert.All(result.ImageResult, i =>
        {
            Assert.EndsWith(".png", i.Url);
            Assert.False(string.IsNullOrEmpty(i.B64Json));
            Assert.Equal("a revised prompt", i.RevisedPrompt);
        });
        Assert.Empty(result.VideoResult);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task ChatTaskIsChatKindWithItsTextAndUsageTyped()
    {
        var id = AddTask(new TaskSpec { Kind = "chat" });
        var (client, log) = CreateClient();

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(ResultKind.Chat, result.KindValue);
        Assert.Equal("Hello from the emulator", result.Content);
        Assert.Equal(10L, result.Usage!.TotalTokens);
        Assert.False(result.AdditionalProperties.ContainsKey("choices"));
        AssertNoSecret(log);
    }

    [Fact]
    public async Task SubmittedThenProcessingThenSuccess()
    {
        var id = AddTask(new TaskSpec { ProcessingPolls = 2, InitialStatus = "SUBMITTED" });
        var (client, log) = CreateClient();

        var first = await client.GetAsync(id, CancellationToken.None);
        var second = await client.GetAsync(id, CancellationToken.None);
        var third = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Processing, first.StatusValue);
        Assert.Equal("SUBMITTED", first.TaskStatus);
        Assert.Equal(ResultKind.Video, first.KindValue);
        Assert.Empty(first.VideoResult);
        Assert.Equal(AsyncTaskStatus.Processing, second.StatusValue);
        Assert.Equal("PROCESSING", second.TaskStatus);
        Assert.Equal(AsyncTaskStatus.Success, third.StatusValue);
        Assert.Single(third.VideoResult);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task FailedTaskIsTerminalWithoutMedia()
    {
        var id = AddTask(new TaskSpec { Outcome = "FAIL" });
        var (client, log) = CreateClient();

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Fail, result.StatusValue);
        Assert.True(result.IsTerminal);
        Assert.Equal(0, result.MediaCount);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task BodyWithoutIdUsesTheRequestedIdAndKeepsExtraFields()
    {
        using var extra = JsonDocument.Parse("""{"progress":50,"meta":{"tags":["a","b"]}}""");
        var id = AddTask(new TaskSpec { IncludeIdField = false, ExtraFields = extra.RootElement.Clone() });
        var (client, log) = CreateClient();

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(id, result.Id);
        Assert.Equal(50L, result.AdditionalProperties["progress"]);
        var meta = Assert.IsType<Dictionary<string, object?>>(result.AdditionalProperties["meta"]);
        Assert.Equal(new object?[] { "a", "b" }, Assert.IsType<object?[]>(meta["tags"]));
        AssertNoSecret(log);
    }

    // ---- what goes on the wire ---------------------------------------------------------------

    [Fact]
    public async Task BearerKeyAndAcceptLanguageReachTheServer()
    {
        var id = AddTask(new TaskSpec());
        var (client, log) = CreateClient();

        await client.GetAsync(id, CancellationToken.None);

        var request = Assert.Single(_server.GetRequests(id));
        Assert.Equal("GET", request.Method);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("en-US,en", request.Headers["Accept-Language"]);
        Assert.Contains("application/json", request.Headers["Accept"]);
        Assert.StartsWith("ZAi-PowerShell/", request.Headers["User-Agent"]);
        Assert.Equal(Prefix + id, request.RawTarget);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task ConfiguredLanguageIsSentAsIs()
    {
        var id = AddTask(new TaskSpec());
        var (client, log) = CreateClient(language: "zh-CN,zh;q=0.9");

        await client.GetAsync(id, CancellationToken.None);

        Assert.Equal("zh-CN,zh;q=0.9", Assert.Single(_server.GetRequests(id)).Headers["Accept-Language"]);
        AssertNoSecret(log);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a?b=c")]
    [InlineData("a#frag")]
    [InlineData("../up/..")]
    [InlineData("x/../y")]
    [InlineData("with space")]
    [InlineData("100%")]
    [InlineData("%2F")]
    [InlineData("a..b")]
    [InlineData("日本語")]
    public async Task AwkwardIdsArriveAsExactlyOneEscapedSegment(string awkward)
    {
        var id = awkward + "-" + Guid.NewGuid().ToString("N");
        AddTask(new TaskSpec { Id = id });
        var (client, log) = CreateClient();

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(id, result.Id);
        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        var request = Assert.Single(_server.GetRequests(id));
        Assert.StartsWith(Prefix, request.RawTarget);
        var segment = request.RawTarget.Substring(Prefix.Length);
        Assert.DoesNotContain('/', segment);
        Assert.DoesNotContain('?', segment);
        Assert.DoesNotContain('#', segment);
        Assert.DoesNotContain(' ', segment);
        Assert.Equal(id, Uri.UnescapeDataString(segment));
        Assert.Equal(1, RequestCount(id));
        AssertNoSecret(log);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("..")]
    [InlineData("a\nb")]
    public async Task InvalidIdsFailBeforeAnyRequest(string id)
    {
        var (client, _) = CreateClient();
        var before = _server.GetRequests().Count(r => r.RawTarget.StartsWith(Prefix, StringComparison.Ordinal) && r.TaskId == id);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(id, CancellationToken.None));

        Assert.Equal(before, _server.GetRequests().Count(r => r.RawTarget.StartsWith(Prefix, StringComparison.Ordinal) && r.TaskId == id));
    }

    // ---- errors ------------------------------------------------------------------------------

    [Fact]
    public async Task WrongKeyIsAuthenticationFailed()
    {
        const string wrongKey = "sk-wrong-key-0000000000";
        var id = AddTask(new TaskSpec());
        var (client, log) = CreateClient(key: wrongKey);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.AuthenticationFailed, error.Reason);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("1002", error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Equal("ZAiAuthenticationFailed", error.ErrorId);
        Assert.Equal("Bearer " + wrongKey, Assert.Single(_server.GetRequests(id)).Headers["Authorization"]);
        AssertNoSecret(log, error, wrongKey);
    }

    [Fact]
    public async Task UnknownIdIsNotFound()
    {
        var id = EmulatorFixture.NewId("missing");
        var (client, log) = CreateClient();

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.NotFound, error.Reason);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("ZAiTaskNotFound", error.ErrorId);
        Assert.Contains(id, error.ApiMessage);
        Assert.Contains(id, error.Message);
        Assert.False(error.IsTransient);
        Assert.Single(_server.GetRequests(id));
    }

    [Theory]
    [InlineData("zai", 400, "1214", ZAiErrorReason.InvalidRequest)]
    [InlineData("spec", 400, "1211", ZAiErrorReason.InvalidRequest)]
    [InlineData("errorString", 403, "1120", ZAiErrorReason.AccountProblem)]
    [InlineData("msg", 429, "1304", ZAiErrorReason.RateLimited)]
    [InlineData("message", 400, "1301", ZAiErrorReason.ContentRejected)]
    [InlineData("zai", 429, "1113", ZAiErrorReason.QuotaExceeded)]
    [InlineData("spec", 401, "1003", ZAiErrorReason.AuthenticationFailed)]
    public async Task EveryEnvelopeGivesCodeMessageAndStatus(string envelope, int status, string code, ZAiErrorReason reason)
    {
        var message = $"Emulated {envelope} error {Guid.NewGuid():N}";
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = status, Envelope = envelope, Code = code, Message = message });
        var (client, log) = CreateClient(maxRetries: 0);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(reason, error.Reason);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(message, error.ApiMessage);
        Assert.Contains(message, error.Message);
        Assert.Contains(code, error.Message);
        Assert.Equal(1, RequestCount(id));
    }

    [Fact]
    public async Task EmptyErrorBodyIsDescribedAndClassifiedByStatus()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = 503, Envelope = "none" });
        var (client, log) = CreateClient(maxRetries: 0);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.ServiceUnavailable, error.Reason);
        Assert.Equal(503, error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.Null(error.ApiMessage);
        Assert.Contains("empty", error.Message);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task BusinessErrorInHttp200IsThrownAndNotRetried()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "businessIn200", Code = "1214", Message = "Invalid parameter: id" });
        var (client, log) = CreateClient(maxRetries: 3);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.InvalidRequest, error.Reason);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal("1214", error.ErrorCode);
        Assert.Equal("Invalid parameter: id", error.ApiMessage);
        Assert.False(error.IsTransient);
        Assert.Equal(1, RequestCount(id));
        Assert.Empty(log.VerboseMessages);
    }

    [Fact]
    public async Task OverloadInHttp200IsRetriedThenSucceeds()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "businessIn200", Code = "1305", RetryAfter = "0" });
        var (client, log) = CreateClient(maxRetries: 3);

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(2, RequestCount(id));
        Assert.Contains(log.VerboseMessages, m => m.Contains("1305"));
        AssertNoSecret(log);
    }

    [Fact]
    public async Task ApiKeyEchoedByTheServerIsRedacted()
    {
        var id = AddTaskWithFaults(new FaultSpec
        {
            Type = "status",
            Status = 400,
            Code = "1214",
            Message = $"token {Key} is not allowed here",
        });
        var (client, log) = CreateClient(maxRetries: 0);

        var error = await FailsAsync(client, id, log);

        Assert.Equal("token ****7890 is not allowed here", error.ApiMessage);
        Assert.Contains("****7890", error.Message);
    }

    // ---- retries -----------------------------------------------------------------------------

    [Fact]
    public async Task RateLimitWithRetryAfterZeroIsRetriedThenSucceeds()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = 429, RetryAfter = "0" });
        var (client, log) = CreateClient(maxRetries: 3);

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(2, RequestCount(id));
        var retry = Assert.Single(log.VerboseMessages);
        Assert.Contains("429", retry);
        Assert.Contains("retry 1 of 3", retry);
        Assert.Contains("Retry-After", retry);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task RetryAfterDateInThePastMeansRetryNow()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = 429, RetryAfter = "Thu, 01 Jan 2015 00:00:00 GMT" });
        var (client, log) = CreateClient(maxRetries: 1);

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(2, RequestCount(id));
        Assert.Contains("Retry-After", Assert.Single(log.VerboseMessages));
        AssertNoSecret(log);
    }

    [Fact]
    public async Task QuotaExceededIn429IsNotRetried()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = 429, Envelope = "zai", Code = "1113", RetryAfter = "0" });
        var (client, log) = CreateClient(maxRetries: 3);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.QuotaExceeded, error.Reason);
        Assert.Equal("1113", error.ErrorCode);
        Assert.Equal(429, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal(1, RequestCount(id));
        Assert.Empty(log.VerboseMessages);
    }

    [Fact]
    public async Task MaxRetriesZeroDoesNotRetry()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = 429, RetryAfter = "0" });
        var (client, log) = CreateClient(maxRetries: 0);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.RateLimited, error.Reason);
        Assert.Equal("1302", error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
        Assert.Equal(1, RequestCount(id));
        Assert.Empty(log.VerboseMessages);
    }

    [Fact]
    public async Task RetriesStopAtMaxRetries()
    {
        var id = AddTaskWithFaults(
            new FaultSpec { Type = "status", Status = 503, RetryAfter = "0" },
            new FaultSpec { Type = "status", Status = 503, RetryAfter = "0" });
        var (client, log) = CreateClient(maxRetries: 1);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.ServiceUnavailable, error.Reason);
        Assert.Equal(2, RequestCount(id));
        Assert.Equal(0, _server.GetTask(id)!.FaultsRemaining);
        Assert.Single(log.VerboseMessages);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task ServerErrorsAreRetriedWithBackoffThenSucceed(int status)
    {
        // No Retry-After: this exercises one real backoff wait (0.375-0.5 s).
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = status });
        var (client, log) = CreateClient(maxRetries: 2);

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(2, RequestCount(id));
        var retry = Assert.Single(log.VerboseMessages);
        Assert.Contains($"HTTP {status}", retry);
        Assert.Contains("backing off", retry);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task HtmlGatewayPageIsDescribedNotParsed()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "html", Status = 502 });
        var (client, log) = CreateClient(maxRetries: 0);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.ServiceUnavailable, error.Reason);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("502 Bad Gateway", error.Message);
        Assert.Contains("text/html", error.Message);
        Assert.DoesNotContain("<", error.Message);
        Assert.Null(error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task HtmlPageWithHttp200IsInvalidResponse()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "html", Status = 200 });
        var (client, log) = CreateClient(maxRetries: 3);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.InvalidResponse, error.Reason);
        Assert.Equal(200, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal(1, RequestCount(id));
    }

    [Fact]
    public async Task MalformedJsonInHttp200IsInvalidResponse()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "malformed" });
        var (client, log) = CreateClient(maxRetries: 3);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.InvalidResponse, error.Reason);
        Assert.Equal(200, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal("ZAiInvalidResponse", error.ErrorId);
        Assert.Equal(1, RequestCount(id));
    }

    [Fact]
    public async Task DroppedConnectionIsRetriedThenSucceeds()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "drop", AfterBytes = 10 });
        var (client, log) = CreateClient(maxRetries: 2);

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(2, RequestCount(id));
        Assert.Contains("connection failed", Assert.Single(log.VerboseMessages));
        AssertNoSecret(log);
    }

    [Fact]
    public async Task DroppedConnectionWithoutRetriesIsConnectionFailed()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "drop", AfterBytes = 10 });
        var (client, log) = CreateClient(maxRetries: 0);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.ConnectionFailed, error.Reason);
        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("127.0.0.1", error.Message);
    }

    [Fact]
    public async Task NotANumberRetryAfterIsIgnored()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = 503, RetryAfter = "NaN" });
        var (client, log) = CreateClient(maxRetries: 0);

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.ServiceUnavailable, error.Reason);
        Assert.Null(error.RetryAfter);
    }

    // ---- timeouts and cancellation -------------------------------------------------------------

    [Fact]
    public async Task SlowResponseTimesOut()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "slow", DelayMs = 30000 });
        var (client, log) = CreateClient(maxRetries: 0, requestTimeout: TimeSpan.FromSeconds(1));

        var error = await FailsAsync(client, id, log);

        Assert.Equal(ZAiErrorReason.Timeout, error.Reason);
        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal("ZAiTimeout", error.ErrorId);
        Assert.Contains("request timeout", error.Message);
        Assert.Equal(1, RequestCount(id));
    }

    [Fact]
    public async Task CancellationWhileARequestIsInFlight()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "slow", DelayMs = 30000 });
        var (client, log) = CreateClient(maxRetries: 3, requestTimeout: TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource();

        var call = client.GetAsync(id, cancel.Token);
        Assert.True(
            SpinWait.SpinUntil(() => _server.GetTask(id)!.RequestCount == 1 || call.IsCompleted, Generous),
            "The request never reached the emulator.");
        Assert.False(call.IsCompleted, "The call ended before it was cancelled.");
        cancel.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Generous));
        Assert.IsNotType<TimeoutException>(error);
        Assert.Equal(1, RequestCount(id));
        Assert.Empty(log.VerboseMessages);
        AssertNoSecret(log, error);
    }

    [Fact]
    public async Task CancellationWhileWaitingToRetry()
    {
        var id = AddTaskWithFaults(new FaultSpec { Type = "status", Status = 503, RetryAfter = "30" });
        var (client, log) = CreateClient(maxRetries: 1);
        using var cancel = new CancellationTokenSource();

        var call = client.GetAsync(id, cancel.Token);
        var retryMessage = await log.FirstVerbose.WaitAsync(Generous);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Generous));
        Assert.Contains("Retry-After", retryMessage);
        Assert.Equal(1, RequestCount(id));
        AssertNoSecret(log);
    }

    [Fact]
    public async Task AlreadyCancelledTokenSendsNothing()
    {
        var id = AddTask(new TaskSpec());
        var (client, log) = CreateClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.GetAsync(id, new CancellationToken(canceled: true)).WaitAsync(Generous));

        Assert.Equal(0, RequestCount(id));
        AssertNoSecret(log);
    }
}
