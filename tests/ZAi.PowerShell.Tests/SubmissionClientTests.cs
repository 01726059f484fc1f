using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Submissions over real loopback HTTP to the emulator, with its request-id deduplication and faults.</summary>
public class SubmissionClientTests : IClassFixture<EmulatorFixture>
{
    private const string Key = EmulatorFixture.ApiKeyValue;
    private const string VideoPath = "/paas/v4/videos/generations";
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;

    public SubmissionClientTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.ConfigureSubmissions(new TaskSpec(), Array.Empty<FaultSpec>());
    }

    private (SubmissionClient Client, CollectingLog Log, RateLimitGate Gate) CreateClient(int maxRetries = 3, TimeSpan? requestTimeout = null)
    {
        var settings = _fixture.Settings(maxRetries, requestTimeout);
        var log = new CollectingLog();
        var gate = new RateLimitGate();
        var sender = new ApiRequestSender(settings, log, error =>
        {
            if (error.Reason == ZAiErrorReason.RateLimited) gate.OnRateLimited(error.RetryAfter, DateTime.UtcNow);
        });
        return (new SubmissionClient(sender, gate, log), log, gate);
    }

    private static GenerationRequest Video(string prompt = "a fox in snow", string? requestId = null, string model = "cogvideox-3") =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, RequestId = requestId, Model = model });

    private static string NewRequestId() => "req-" + Guid.NewGuid().ToString("N");

    /// <summary>The submissions the emulator received for a request id, and the tasks they created.</summary>
    private (int Requests, string[] Tasks) Received(string requestId)
    {
        var entries = _server.GetRequests(pathContains: "/generations").Where(e => e.Body?.Contains(requestId, StringComparison.Ordinal) == true).ToList();
        return (entries.Count, entries.Where(e => e.TaskId is not null).Select(e => e.TaskId!).ToArray());
    }

    private static void AssertNoSecret(CollectingLog log, Exception? error = null)
    {
        foreach (var text in log.All.Append(error?.ToString() ?? string.Empty)) Assert.DoesNotContain(Key, text);
    }

    [Fact]
    public async Task A_video_submission_returns_the_new_task_and_sends_the_body_as_built()
    {
        var (client, log, _) = CreateClient();
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "a fox in snow", Quality = "speed", WithAudio = true, Fps = 60, Duration = 10, Size = "1280x720", UserId = "user-0001" });

        var result = await client.SubmitAsync(request, CancellationToken.None);

        var (requests, tasks) = Received(request.RequestId);
        Assert.Equal(1, requests);
        Assert.Equal(new[] { result.Id }, tasks);
        Assert.Equal(AsyncTaskStatus.Processing, result.StatusValue);
        Assert.Equal("PROCESSING", result.TaskStatus);
        Assert.Equal(ResultKind.Video, result.KindValue);
        Assert.Equal("cogvideox-3", result.Model);
        Assert.Equal(request.RequestId, result.RequestId);
        var task = _server.GetTask(result.Id)!;
        Assert.Equal("video", task.Kind);
        Assert.Equal(Encoding.UTF8.GetString(request.ToJson()), task.SubmittedBody);
        var entry = _server.GetRequests(taskId: result.Id).First(e => e.Method == "POST");
        Assert.Equal("/api" + VideoPath, entry.RawTarget);
        Assert.Equal("Bearer " + Key, entry.Headers["Authorization"]);
        Assert.StartsWith("application/json", entry.Headers["Content-Type"]);
        Assert.Equal("en-US,en", entry.Headers["Accept-Language"]);
        AssertNoSecret(log);
    }

    [Fact]
    public async Task An_image_submission_creates_an_image_task()
    {
        var (client, _, _) = CreateClient();
        var request = GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = "a lighthouse", Quality = "hd", Size = "1568x1056" });

        var result = await client.SubmitAsync(request, CancellationToken.None);

        Assert.Equal(ResultKind.Image, result.KindValue);
        Assert.Equal("glm-image", result.Model);
        Assert.Equal("image", _server.GetTask(result.Id)!.Kind);
        Assert.Single(_server.GetRequests(pathContains: "/async/images/generations"), e => e.TaskId == result.Id);
    }

    [Fact]
    public async Task A_dropped_response_is_retried_with_the_same_request_id_and_never_creates_a_second_task()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "drop", AfterBytes = 5 } });
        var (client, log, _) = CreateClient();
        var request = Video();

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(request, CancellationToken.None));

        var (requests, tasks) = Received(request.RequestId);
        Assert.Equal(2, requests);
        Assert.Single(tasks);
        // The task exists and is billed but its id is lost: an ErrorId of its own, apart from a request id reused.
        Assert.Equal(ZAiErrorReason.TaskIdLost, error.Reason);
        Assert.Equal("ZAiTaskIdLost", error.ErrorId);
        Assert.Equal("1231", error.ErrorCode);
        Assert.Equal(request.RequestId, error.RequestId);
        Assert.Contains(request.RequestId, error.Message);
        Assert.Contains("most likely created the task", error.Message);
        Assert.Contains(log.VerboseMessages, m => m.Contains("retry 1 of 3"));
        AssertNoSecret(log, error);
    }

    [Fact]
    public async Task A_timed_out_submission_is_retried_with_the_same_request_id()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "slow", DelayMs = 3000 } });
        var (client, _, _) = CreateClient(requestTimeout: TimeSpan.FromMilliseconds(500));
        var request = Video();

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(request, CancellationToken.None));

        Assert.Equal(ZAiErrorReason.TaskIdLost, error.Reason);
        Assert.Contains("request timeout", error.Message);
        Assert.Single(Received(request.RequestId).Tasks);
    }

    [Fact]
    public async Task A_server_error_that_created_nothing_is_retried_and_the_retry_creates_the_one_task()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "status", Status = 503 }, new FaultSpec { Type = "html", Status = 502 } });
        var (client, _, _) = CreateClient();
        var request = Video();

        var result = await client.SubmitAsync(request, CancellationToken.None);

        var (requests, tasks) = Received(request.RequestId);
        Assert.Equal(3, requests);
        Assert.Equal(new[] { result.Id }, tasks);
    }

    [Fact]
    public async Task A_rate_limit_is_retried_and_holds_back_the_batch()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "businessIn200", Code = "1302", Message = "Concurrency limit" } });
        var (client, log, gate) = CreateClient();
        var before = DateTime.UtcNow;
        var request = Video();

        var result = await client.SubmitAsync(request, CancellationToken.None);

        Assert.Single(Received(request.RequestId).Tasks);
        Assert.Equal(result.Id, Received(request.RequestId).Tasks[0]);
        Assert.True(gate.NotBeforeUtc > before, "a rate-limit answer must pause later submissions of the batch");
        Assert.Contains(log.VerboseMessages, m => m.Contains("code 1302"));
    }

    [Fact]
    public async Task A_refused_request_is_not_retried()
    {
        var (client, log, _) = CreateClient();
        var request = Video(model: "no-such-model");

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(request, CancellationToken.None));

        Assert.Equal(ZAiErrorReason.InvalidRequest, error.Reason);
        Assert.Equal("1211", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal((1, Array.Empty<string>()), (Received(request.RequestId).Requests, Received(request.RequestId).Tasks));
        Assert.DoesNotContain(log.VerboseMessages, m => m.Contains("retry"));
    }

    [Fact]
    public async Task A_request_id_chosen_by_the_user_is_submitted_once_per_process()
    {
        var (client, log, _) = CreateClient();
        var requestId = NewRequestId();

        var firstRequest = Video(requestId: requestId);
        var againRequest = Video(requestId: requestId);
        var first = await client.SubmitAsync(firstRequest, CancellationToken.None);
        var again = await client.SubmitAsync(againRequest, CancellationToken.None);

        Assert.Same(first, again);
        Assert.Contains("created", firstRequest.Outcome(first));
        Assert.False(firstRequest.ReusedEarlierSubmission);
        Assert.True(againRequest.ReusedEarlierSubmission);
        Assert.Contains("no new task", againRequest.Outcome(again));
        Assert.DoesNotContain("created", againRequest.Outcome(again));
        Assert.Equal(1, Received(requestId).Requests);
        Assert.Contains(log.VerboseMessages, m => m.Contains("already submitted in this session"));
        var conflict = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Video("another prompt", requestId), CancellationToken.None));
        Assert.Equal(ZAiErrorReason.DuplicateRequest, conflict.Reason);
        Assert.Contains(first.Id, conflict.Message);
        Assert.Equal(1, Received(requestId).Requests);
    }

    [Fact]
    public async Task A_request_id_used_before_this_process_gets_a_clear_duplicate_error()
    {
        var requestId = NewRequestId();
        using (var http = new HttpClient())
        {
            using var earlier = new HttpRequestMessage(HttpMethod.Post, _server.BaseUrl + VideoPath)
            {
                Content = new StringContent($$"""{"model":"cogvideox-3","prompt":"x","request_id":"{{requestId}}"}""", Encoding.UTF8, "application/json"),
            };
            earlier.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            (await http.SendAsync(earlier)).EnsureSuccessStatusCode();
        }
        var (client, _, _) = CreateClient();

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Video(requestId: requestId), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.DuplicateRequest, error.Reason);
        Assert.Contains("used for an earlier submission", error.Message);
        Assert.DoesNotContain("most likely", error.Message);
        Assert.Single(Received(requestId).Tasks);

        // The failure is forgotten: the same request id is not stuck in this process's record.
        var again = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Video(requestId: requestId), CancellationToken.None));
        Assert.Equal(3, Received(requestId).Requests);
        Assert.Equal(ZAiErrorReason.DuplicateRequest, again.Reason);
    }

    [Fact]
    public async Task Cancelling_stops_a_submission_in_flight()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "slow", DelayMs = 30000 } });
        var (client, log, _) = CreateClient();
        using var cancel = new CancellationTokenSource();
        var request = Video();
        var submission = client.SubmitAsync(request, cancel.Token);
        while (Received(request.RequestId).Requests == 0) await Task.Yield();

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submission);
        Assert.Equal(1, Received(request.RequestId).Requests);
        _server.ConfigureSubmissions(null, Array.Empty<FaultSpec>());
    }

    [Fact]
    public async Task A_command_sharing_a_submission_that_another_command_cancels_gets_an_error_not_a_stop()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "slow", DelayMs = 30000 } });
        var (first, _, _) = CreateClient();
        var (second, log, _) = CreateClient();
        var requestId = NewRequestId();
        using var cancelFirst = new CancellationTokenSource();
        var firstSubmission = first.SubmitAsync(Video(requestId: requestId), cancelFirst.Token);
        var secondSubmission = second.SubmitAsync(Video(requestId: requestId), CancellationToken.None);
        Assert.Contains(log.VerboseMessages, m => m.Contains("already submitted in this session"));

        cancelFirst.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => firstSubmission);
        var error = await Assert.ThrowsAsync<ZAiApiException>(() => secondSubmission);
        Assert.Contains("was stopped", error.Message);
        Assert.Equal(requestId, error.RequestId);
        _server.ConfigureSubmissions(null, Array.Empty<FaultSpec>());
    }

    [Fact]
    public async Task A_response_without_a_task_id_is_an_invalid_response_naming_the_request_id()
    {
        _server.ConfigureSubmissions(null, new[] { new FaultSpec { Type = "businessIn200", Envelope = "none" } });
        var (client, _, _) = CreateClient();
        var request = Video();

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(request, CancellationToken.None));

        Assert.Contains(request.RequestId, error.Message);
    }
}
