using System.Net;
using System.Net.Sockets;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>
/// API requests retried on the injected clock: real HTTP to the emulator, the waits between attempts in virtual time,
/// so the schedule itself (backoff, Retry-After, the budget, a stop, the unsafe-retry rule) is what the test sees.
/// </summary>
public class ApiRetryScheduleTests : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;
    private readonly ManualClock _clock = new();
    private readonly CollectingLog _log = new();

    public ApiRetryScheduleTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.ConfigureSubmissions(new TaskSpec(), Array.Empty<FaultSpec>());
    }

    private AsyncResultClient Client(int maxRetries = 3) => new(new ApiRequestSender(_fixture.Settings(maxRetries), _log, clock: _clock));

    private string TaskWithFaults(params FaultSpec[] faults)
    {
        var spec = new TaskSpec { Id = EmulatorFixture.NewId("retry"), Faults = faults.ToList() };
        _server.AddTasks(spec);
        return spec.Id;
    }

    private int Requests(string id) => _server.GetTask(id)!.RequestCount;

    private string[] RetryLines() => _log.VerboseMessages.Where(m => m.Contains("; retry ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task Transient_failures_are_retried_after_the_backoff_and_no_attempt_starts_before_its_wait_ends()
    {
        var id = TaskWithFaults(new FaultSpec { Type = "status", Status = 503 }, new FaultSpec { Type = "status", Status = 503 });
        var get = Client().GetAsync(id, CancellationToken.None);

        await BackoffAssert.StepThrough(_clock, 2, () => Requests(id));

        var result = await get.WaitAsync(Prompt);
        Assert.Equal(id, result.Id);
        Assert.Equal(3, Requests(id));
        BackoffAssert.Backoffs(2, _clock.Requested);
        var lines = RetryLines();
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^Task '{id}': HTTP 503( \(code \d+\))?; retry 1 of 3 in 0\.[45] s \(backing off\)\.$", lines[0]);
        Assert.Matches(@"; retry 2 of 3 in (0\.8|0\.9|1\.0) s \(backing off\)\.$", lines[1]);
    }

    [Fact]
    public async Task A_retry_after_is_waited_to_the_letter()
    {
        var id = TaskWithFaults(new FaultSpec { Type = "status", Status = 429, RetryAfter = "7" });
        var get = Client().GetAsync(id, CancellationToken.None);

        await _clock.WhenPending(1);
        _clock.Advance(TimeSpan.FromSeconds(6.9));
        Assert.Equal(1, Requests(id));
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        await get.WaitAsync(Prompt);
        Assert.Equal(new[] { TimeSpan.FromSeconds(7) }, _clock.Requested);
        Assert.Equal(2, Requests(id));
        Assert.EndsWith("; retry 1 of 3 in 7.0 s (as Retry-After asks).", Assert.Single(RetryLines()));
    }

    [Fact]
    public async Task After_the_last_retry_the_failure_is_the_answer()
    {
        var fault = new FaultSpec { Type = "status", Status = 503, RetryAfter = "2" };
        var id = TaskWithFaults(fault, fault, fault, fault);
        var get = Client(maxRetries: 2).GetAsync(id, CancellationToken.None);

        await _clock.WhenPending(1);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await _clock.WhenPending(1);
        _clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => get.WaitAsync(Prompt));
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(ZAiErrorReason.ServiceUnavailable, error.Reason);
        Assert.Equal(3, Requests(id));
        Assert.Equal(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) }, _clock.Requested);
        Assert.Equal(2, RetryLines().Length);
    }

    [Fact]
    public async Task A_stop_during_the_wait_ends_the_call_at_once_with_no_further_request()
    {
        var id = TaskWithFaults(new FaultSpec { Type = "status", Status = 429, RetryAfter = "60" });
        using var stop = new CancellationTokenSource();
        var get = Client().GetAsync(id, stop.Token);
        await _clock.WhenPending(1);

        stop.Cancel();

        // The virtual clock stands still: only the stop can end the wait.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.WaitAsync(Prompt));
        Assert.Equal(0, _clock.PendingDelays);
        Assert.Equal(1, Requests(id));
    }

    [Fact]
    public async Task A_request_without_an_idempotency_key_that_may_have_reached_the_api_is_never_sent_again()
    {
        var marker = "unsafe-" + Guid.NewGuid().ToString("N");
        _server.ConfigureSubmissions(new TaskSpec(), [new FaultSpec { Type = "statusAfterCreate", Status = 502 }]);
        var sender = new ApiRequestSender(_fixture.Settings(3, memory: new ConnectionMemory()), _log, clock: _clock);
        var effect = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://images.example/" + marker + ".png", Prompt = marker });

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => new SubmissionClient(sender, new RateLimitGate(), _log).SubmitAsync(effect, CancellationToken.None).WaitAsync(Prompt));

        Assert.Equal(ZAiErrorReason.SubmissionOutcomeUnknown, error.Reason);
        Assert.Empty(_clock.Requested);
        Assert.Empty(RetryLines());
    }

    [Fact]
    public async Task A_request_without_an_idempotency_key_refused_before_a_byte_was_sent_is_retried_on_the_schedule()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var sender = new ApiRequestSender(_fixture.Settings(2, memory: new ConnectionMemory(), baseUri: $"http://127.0.0.1:{port}/api"), _log, clock: _clock);
        var effect = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://images.example/refused.png", Prompt = "refused" });
        var submit = new SubmissionClient(sender, new RateLimitGate(), _log).SubmitAsync(effect, CancellationToken.None);

        await _clock.WhenPending(1);
        _clock.Advance(_clock.Requested[0]);
        await _clock.WhenPending(1);
        _clock.Advance(_clock.Requested[1]);

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => submit.WaitAsync(Prompt));
        Assert.Equal(ZAiErrorReason.ConnectionFailed, error.Reason);
        Assert.Equal(2, _clock.Requested.Count);
        Assert.Equal(new[] { "retry 1 of 2 in", "retry 2 of 2 in" }, RetryLines().Select(l => l.Substring(l.IndexOf("retry ", StringComparison.Ordinal), 15)));
    }

    /// <summary>
    /// A submission refused with 1302 (the account's tasks in flight) goes round the same loop: with none of this
    /// session's tasks running it waits the capacity's pause (1 s, 2 s ... on the injected clock), then is sent again.
    /// </summary>
    [Fact]
    public async Task A_1302_with_nothing_of_ours_running_is_sent_again_after_a_pause_that_doubles()
    {
        var refused = new FaultSpec { Type = "businessIn200", Code = "1302", Message = "Concurrency limit" };
        _server.ConfigureSubmissions(new TaskSpec(), [refused, refused]);
        var capacity = new SubmissionCapacity(_clock);
        var sender = new ApiRequestSender(_fixture.Settings(3, memory: new ConnectionMemory()), _log, clock: _clock);
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "a fox in snow" });
        var submit = new SubmissionClient(sender, new RateLimitGate(), _log, capacity).SubmitAsync(request, CancellationToken.None);

        await _clock.WhenPending(1);
        Assert.Equal(1, Posts(request.RequestId));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _clock.WhenPending(1);
        Assert.Equal(2, Posts(request.RequestId));
        _clock.Advance(TimeSpan.FromSeconds(2));

        var result = await submit.WaitAsync(Prompt);
        Assert.Equal(3, Posts(request.RequestId));
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }, _clock.Requested);
        Assert.Equal(2, capacity.RefusedCount);
        Assert.Equal(1, capacity.AcceptedCount);
        Assert.Equal(1, capacity.Running);
        Assert.Equal(0, capacity.Sending);
        Assert.Equal(2, _log.VerboseMessages.Count(m => m.EndsWith("(1302, nothing created) with none of this session's running; trying again after a pause.", StringComparison.Ordinal)));
        Assert.DoesNotContain(_log.VerboseMessages, m => m.Contains("; retry ", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(result.Id));
    }

    private int Posts(string requestId) =>
        _server.GetRequests(pathContains: "/generations").Count(e => e.Method == "POST" && e.Body?.Contains(requestId, StringComparison.Ordinal) == true);
}
