using System.Net;
using System.Net.Sockets;
using ZAi.Emulator;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests.Submitting;

/// <summary>
/// A POST without an idempotency key (the agents API takes no request_id) is never resent once it may have reached
/// the API; a POST with a request_id is still retried, since the API recognises it (1231). Real HTTP to the emulator,
/// whose gateway answers late, cut off or with a 5xx after creating the task; the emulator's request log counts the POSTs.
/// </summary>
public class UnsafeRetryTests : IClassFixture<EmulatorFixture>
{
    private const string AgentsPath = "/api/v1/agents";
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;

    public UnsafeRetryTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.ConfigureSubmissions(new TaskSpec(), Array.Empty<FaultSpec>());
        _server.ConfigureOutcomes([], 0);
    }

    private (SubmissionClient Client, CollectingLog Log) Client(int maxRetries = 3, TimeSpan? requestTimeout = null, string? baseUri = null)
    {
        var log = new CollectingLog();
        var sender = new ApiRequestSender(_fixture.Settings(maxRetries, requestTimeout, memory: new ConnectionMemory(), baseUri: baseUri), log);
        return (new SubmissionClient(sender, new RateLimitGate(), log), log);
    }

    private static GenerationRequest Effect(string marker) =>
        VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://images.example/" + marker + ".png", Prompt = marker });

    private static GenerationRequest Image(string marker) =>
        GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = marker });

    /// <summary>The POSTs to the agents endpoint whose body names <paramref name="marker"/>.</summary>
    private int AgentPosts(string marker) =>
        _server.GetRequests(pathContains: "/v1/agents").Count(e => e.Method == "POST" && e.RawTarget == AgentsPath && e.Body?.Contains(marker, StringComparison.Ordinal) == true);

    /// <summary>
    /// The agents POSTs naming <paramref name="marker"/> once the emulator has logged the first: it logs a request when
    /// it ends, and one the client abandoned at its time-out ends when the emulator notices the closed connection.
    /// </summary>
    private async Task<int> LoggedAgentPosts(string marker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (AgentPosts(marker) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        return AgentPosts(marker);
    }

    private int TasksFor(string marker) => _server.GetRequests(pathContains: "/").Count(e => e.Method == "POST" && e.TaskId != null && e.Body?.Contains(marker, StringComparison.Ordinal) == true && !e.RawTarget.Contains("async-result", StringComparison.Ordinal));

    [Theory]
    [InlineData(502)]
    [InlineData(500)]
    [InlineData(504)]
    public async Task An_agents_post_answered_with_a_5xx_after_the_task_was_created_is_sent_once_and_ends_outcome_unknown(int status)
    {
        var marker = "effect-5xx-" + Guid.NewGuid().ToString("N");
        _server.ConfigureSubmissions(new TaskSpec(), [new FaultSpec { Type = "statusAfterCreate", Status = status }]);
        var (client, _) = Client(maxRetries: 3);

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Effect(marker), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.SubmissionOutcomeUnknown, error.Reason);
        Assert.Equal("ZAiSubmissionOutcomeUnknown", error.ErrorId);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains("not sent again", error.Message);
        Assert.Equal(1, await LoggedAgentPosts(marker));
        Assert.Equal(1, TasksFor(marker));
    }

    [Fact]
    public async Task An_agents_post_whose_answer_comes_after_the_time_out_is_sent_once()
    {
        // The figure: -RequestTimeoutSec 2 -MaxRetries 2 against a gateway that answers after 4 s made 3 billed tasks.
        var marker = "effect-late-" + Guid.NewGuid().ToString("N");
        _server.ConfigureSubmissions(new TaskSpec(), [new FaultSpec { Type = "slow", DelayMs = 4000 }, new FaultSpec { Type = "slow", DelayMs = 4000 }, new FaultSpec { Type = "slow", DelayMs = 4000 }]);
        var (client, _) = Client(maxRetries: 2, requestTimeout: TimeSpan.FromMilliseconds(500));

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Effect(marker), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.SubmissionOutcomeUnknown, error.Reason);
        Assert.Null(error.StatusCode);
        Assert.Equal(1, await LoggedAgentPosts(marker));
        Assert.Equal(1, TasksFor(marker));
    }

    [Fact]
    public async Task An_agents_post_whose_answer_is_cut_off_after_the_task_was_created_is_sent_once()
    {
        var marker = "effect-drop-" + Guid.NewGuid().ToString("N");
        _server.ConfigureSubmissions(new TaskSpec(), [new FaultSpec { Type = "drop", AfterBytes = 5 }]);
        var (client, _) = Client(maxRetries: 3);

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Effect(marker), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.SubmissionOutcomeUnknown, error.Reason);
        Assert.Equal(1, await LoggedAgentPosts(marker));
    }

    [Fact]
    public async Task An_agents_post_whose_connection_is_refused_before_sending_is_still_retried()
    {
        // Nothing listens on this port: the connection is refused before a byte leaves, so no task can exist.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (client, log) = Client(maxRetries: 2, baseUri: $"http://127.0.0.1:{port}/api");

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Effect("refused"), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.ConnectionFailed, error.Reason);
        Assert.Equal(2, log.VerboseMessages.Count(m => m.Contains("retry ", StringComparison.Ordinal) && m.Contains(" of 2 in ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_image_post_with_its_request_id_is_still_retried_after_a_5xx_and_creates_one_task()
    {
        // A 5xx that created nothing: the retry under the same request_id creates the one task.
        var marker = "image-retry-" + Guid.NewGuid().ToString("N");
        _server.ConfigureSubmissions(new TaskSpec(), [new FaultSpec { Type = "status", Status = 503 }]);
        var (client, _) = Client(maxRetries: 3);
        var request = Image(marker);

        var result = await client.SubmitAsync(request, CancellationToken.None);

        var posts = _server.GetRequests(pathContains: "/generations").Where(e => e.Body?.Contains(marker, StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Contains(request.RequestId, p.Body));
        Assert.Equal(new[] { result.Id }, posts.Where(p => p.TaskId != null).Select(p => p.TaskId).ToArray());
    }

    [Fact]
    public async Task An_image_post_whose_5xx_came_after_the_task_was_created_is_retried_and_ends_as_a_lost_task_id()
    {
        // The retry is safe (the API recognises the request_id: 1231, no second task), and the error says the task exists.
        var marker = "image-lost-" + Guid.NewGuid().ToString("N");
        _server.ConfigureSubmissions(new TaskSpec(), [new FaultSpec { Type = "statusAfterCreate", Status = 502 }]);
        var (client, _) = Client(maxRetries: 3);

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => client.SubmitAsync(Image(marker), CancellationToken.None));

        var posts = _server.GetRequests(pathContains: "/generations").Where(e => e.Body?.Contains(marker, StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Single(posts, p => p.TaskId != null);
        Assert.Equal(ZAiErrorReason.TaskIdLost, error.Reason);
        Assert.Equal("ZAiTaskIdLost", error.ErrorId);
    }

    [Fact]
    public async Task A_request_id_reused_with_nothing_lost_stays_a_duplicate_request_not_a_lost_task()
    {
        var marker = "image-dup-" + Guid.NewGuid().ToString("N");
        var (first, _) = Client();
        var (second, _) = Client();
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        await first.SubmitAsync(GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = marker, RequestId = requestId }), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => second.SubmitAsync(GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = marker, RequestId = requestId }), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.DuplicateRequest, error.Reason);
    }

    [Fact]
    public async Task A_journalled_agents_post_whose_outcome_is_unknown_is_recorded_unknown_and_never_sent_again()
    {
        var marker = "effect-journal-" + Guid.NewGuid().ToString("N");
        var journal = Path.Combine(Path.GetTempPath(), "zai-unsafe-" + Guid.NewGuid().ToString("N") + ".jsonl");
        _server.ConfigureSubmissions(new TaskSpec(), [new FaultSpec { Type = "statusAfterCreate", Status = 502 }]);
        var request = Effect(marker);
        try
        {
            var batch = Batch(journal);
            var plan = batch.Commit(batch.Plan(request));
            var error = await Assert.ThrowsAsync<ZAiApiException>(() => batch.SubmitAsync(plan, CancellationToken.None));
            batch.Dispose();

            Assert.Equal(ZAiErrorReason.SubmissionOutcomeUnknown, error.Reason);
            Assert.Contains("The journal records it as Unknown", error.Message);
            using (var read = JournalFile.ReadOnly(journal))
            {
                var entry = read.Find(request.Fingerprint(), 1)!;
                Assert.Equal(LedgerState.Unknown, entry.State);
                Assert.Contains("not sent again", entry.Reason);
            }

            var again = Batch(journal);
            var next = again.Plan(request);
            again.Dispose();
            Assert.Equal(PlanAction.KnownUnknown, next.Action);
            Assert.True(next.Skipped);
            Assert.Equal(1, await LoggedAgentPosts(marker));
        }
        finally
        {
            File.Delete(journal);
            File.Delete(journal + JournalFile.LockSuffix);
        }
    }

    private SubmissionBatch Batch(string journal)
    {
        var batch = new SubmissionBatch(JournalFile.ReadOnly(journal), view => SharedJournals.Open(journal, readBefore: view), retryFailed: false);
        var account = new AccountState();
        var sender = new ApiRequestSender(_fixture.Settings(maxRetries: 3, memory: new ConnectionMemory()), new CollectingLog());
        batch.Connect(new SubmissionClient(sender, new RateLimitGate(), new CollectingLog(), account.Capacity), account.Capacity, new RunningTaskWatcher(account, new AsyncResultClient(sender, account).GetAsync, new CollectingLog()));
        return batch;
    }

    [Fact]
    public void Only_a_connection_that_never_opened_counts_as_nothing_sent()
    {
        Assert.True(ApiRequestSender.FailedBeforeSending(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(ApiRequestSender.FailedBeforeSending(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionReset))));
        Assert.False(ApiRequestSender.FailedBeforeSending(new IOException("The response ended prematurely.")));
        Assert.False(ApiRequestSender.MayHaveReachedApi(new ZAiApiException(ZAiErrorReason.ConnectionFailed, "x", isTransient: true) { NothingSent = true }));
        Assert.True(ApiRequestSender.MayHaveReachedApi(new ZAiApiException(ZAiErrorReason.ConnectionFailed, "x", isTransient: true)));
        Assert.False(ApiRequestSender.MayHaveReachedApi(new ZAiApiException(ZAiErrorReason.RateLimited, "x", statusCode: 429, errorCode: "1302", isTransient: true)));
    }
}
