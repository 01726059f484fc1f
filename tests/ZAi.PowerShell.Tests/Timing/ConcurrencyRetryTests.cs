using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>
/// A submission refused with 1302 (the account's tasks in flight) goes round the one retry loop: with none of this
/// session's tasks running it waits the capacity's pause (1 s, 2 s ... on the injected clock), then is sent again.
/// </summary>
public class ConcurrencyRetryTests : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;

    public ConcurrencyRetryTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.ConfigureSubmissions(new TaskSpec(), Array.Empty<FaultSpec>());
    }

    [Fact]
    public async Task A_1302_with_nothing_of_ours_running_is_sent_again_after_a_pause_that_doubles()
    {
        var refused = new FaultSpec { Type = "businessIn200", Code = "1302", Message = "Concurrency limit" };
        _server.ConfigureSubmissions(new TaskSpec(), [refused, refused]);
        var clock = new ManualClock();
        var log = new CollectingLog();
        var capacity = new SubmissionCapacity(clock);
        var sender = new ApiRequestSender(_fixture.Settings(3, accounts: new AccountRegistry()), log, clock: clock);
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "a fox in snow" });
        var submit = new SubmissionClient(sender, new RateLimitGate(), log, capacity).SubmitAsync(request, CancellationToken.None);

        await clock.WhenPending(1);
        Assert.Equal(1, Posts(request.RequestId));
        clock.Advance(TimeSpan.FromSeconds(1));
        await clock.WhenPending(1);
        Assert.Equal(2, Posts(request.RequestId));
        clock.Advance(TimeSpan.FromSeconds(2));

        var result = await submit.WaitAsync(Prompt);
        Assert.Equal(3, Posts(request.RequestId));
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }, clock.Requested);
        Assert.Equal(2, capacity.RefusedCount);
        Assert.Equal(1, capacity.AcceptedCount);
        Assert.Equal(1, capacity.Running);
        Assert.Equal(0, capacity.Sending);
        Assert.Equal(2, log.VerboseMessages.Count(m => m.EndsWith("(1302, nothing created) with none of this session's running; trying again after a pause.", StringComparison.Ordinal)));
        Assert.DoesNotContain(log.VerboseMessages, m => m.Contains("; retry ", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(result.Id));
    }

    private int Posts(string requestId) =>
        _server.GetRequests(pathContains: "/generations").Count(e => e.Method == "POST" && e.Body?.Contains(requestId, StringComparison.Ordinal) == true);
}
