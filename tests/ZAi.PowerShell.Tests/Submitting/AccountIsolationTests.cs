using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;
using ZAi.PowerShell.Completion;

namespace ZAi.PowerShell.Tests.Submitting;

/// <summary>
/// What an account owns (its request ids, its agents' tasks, its recent task ids) lives in its AccountState, and a
/// connection's prices in the connection: another account or connection never sees them.
/// </summary>
public class AccountIsolationTests : IClassFixture<EmulatorFixture>
{
    private const string OtherKey = "sk-other-account-0987654321";
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;

    public AccountIsolationTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.AddApiKeys(OtherKey);
        _server.ConfigureSubmissions(new TaskSpec(), Array.Empty<FaultSpec>());
    }

    private SubmissionClient Client(ConnectionSettings settings) =>
        new SubmissionClient(new ApiRequestSender(settings, new CollectingLog()), new RateLimitGate(), new CollectingLog());

    private static GenerationRequest Video(string prompt, string requestId) =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, RequestId = requestId });

    private static AsyncResult Result(string id) => TestResults.Parse($$"""{"id":"{{id}}","model":"cogvideox-3","task_status":"PROCESSING"}""");

    [Fact]
    public async Task Two_keys_in_one_process_sending_the_same_request_id_each_get_their_own_task()
    {
        // One registry, as the process connection of two runspaces would share; each key is its own account.
        var accounts = new ConnectionMemory();
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        var a = Client(_fixture.Settings(memory: accounts));
        var b = Client(_fixture.Settings(memory: accounts, key: OtherKey));

        var taskA = await a.SubmitAsync(Video("same fields", requestId), CancellationToken.None);
        var taskB = await b.SubmitAsync(Video("same fields", requestId), CancellationToken.None);

        Assert.NotEqual(taskA.Id, taskB.Id);
        var posts = _server.GetRequests(pathContains: "/videos/generations").Where(e => e.Body?.Contains(requestId, StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal("Bearer " + EmulatorFixture.ApiKeyValue, posts[0].Headers["Authorization"]);
        Assert.Equal("Bearer " + OtherKey, posts[1].Headers["Authorization"]);
        Assert.Equal(taskB.Id, posts[1].TaskId);
    }

    [Fact]
    public async Task The_same_key_on_another_base_uri_is_another_account_and_never_receives_the_first_task()
    {
        var accounts = new ConnectionMemory();
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        var first = Client(_fixture.Settings(memory: accounts));
        var other = Client(_fixture.Settings(memory: accounts, baseUri: _server.BaseUrl.ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal)));

        var task = await first.SubmitAsync(Video("same fields", requestId), CancellationToken.None);
        // The emulator serves one account at both names, so it refuses the second with 1231: what matters is that the
        // request went to the API of that base URI instead of being answered with the other base URI's task.
        var error = await Assert.ThrowsAsync<ZAiApiException>(() => other.SubmitAsync(Video("same fields", requestId), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.DuplicateRequest, error.Reason);
        Assert.DoesNotContain(task.Id, error.Message);
        Assert.Equal(2, _server.GetRequests(pathContains: "/videos/generations").Count(e => e.Body?.Contains(requestId, StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task The_same_request_id_on_the_same_account_is_still_submitted_once()
    {
        var accounts = new ConnectionMemory();
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        var a = Client(_fixture.Settings(memory: accounts));
        var again = Client(_fixture.Settings(memory: accounts));

        var first = await a.SubmitAsync(Video("same fields", requestId), CancellationToken.None);
        var second = await again.SubmitAsync(Video("same fields", requestId), CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, _server.GetRequests(pathContains: "/videos/generations").Count(e => e.Body?.Contains(requestId, StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Two_account_states_do_not_see_each_others_request_ids_agents_or_recent_tasks()
    {
        var a = new AccountState();
        var b = new AccountState();
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        await a.Requests.GetOrSubmit(Video("x", requestId), () => Task.FromResult(Result("task-a")), out _);
        a.Agents.Remember("task-a", "vidu_template_agent");
        a.RecentTaskIds.Remember("task-a");

        var calls = 0;
        var fromB = await b.Requests.GetOrSubmit(Video("x", requestId), () => { calls++; return Task.FromResult(Result("task-b")); }, out var reused);

        Assert.False(reused);
        Assert.Equal(1, calls);
        Assert.Equal("task-b", fromB.Id);
        Assert.Null(b.Agents.AgentOf("task-a"));
        Assert.Equal("vidu_template_agent", a.Agents.AgentOf("task-a"));
        Assert.Empty(b.RecentTaskIds.Snapshot());
    }

    [Fact]
    public void One_registry_hands_out_one_state_per_base_uri_and_key()
    {
        var accounts = new ConnectionMemory();
        var a = _fixture.Settings(memory: accounts);

        Assert.Same(a.Account(), _fixture.Settings(memory: accounts).Account());
        Assert.NotSame(a.Account(), _fixture.Settings(memory: accounts, key: OtherKey).Account());
        Assert.NotSame(a.Account(), _fixture.Settings(memory: accounts, baseUri: "http://localhost:1/api").Account());
        Assert.NotSame(a.Account(), _fixture.Settings(memory: new ConnectionMemory()).Account());
    }

    [Fact]
    public void The_agents_memory_is_bounded_and_drops_the_least_recently_used_first()
    {
        var agents = new AgentTasks(capacity: 3);
        agents.Remember("a", "agent-a");
        agents.Remember("b", "agent-b");
        agents.Remember("c", "agent-c");
        Assert.Equal("agent-a", agents.AgentOf("a")); // a is now the newest use

        agents.Remember("d", "agent-d");

        Assert.Equal(3, agents.Count);
        Assert.Null(agents.AgentOf("b"));
        Assert.Equal("agent-a", agents.AgentOf("a"));
        Assert.Equal("agent-c", agents.AgentOf("c"));
        Assert.Equal("agent-d", agents.AgentOf("d"));
    }

    [Fact]
    public void A_full_agents_memory_keeps_every_recent_task()
    {
        // The old registry cleared every entry at its capacity: effects still running were then polled on the wrong API.
        var agents = new AgentTasks(capacity: 100);
        for (var i = 0; i < 250; i++) agents.Remember("t" + i, "agent");

        Assert.Equal(100, agents.Count);
        for (var i = 150; i < 250; i++) Assert.Equal("agent", agents.AgentOf("t" + i));
        Assert.Null(agents.AgentOf("t149"));
    }

    [Fact]
    public void A_connections_prices_belong_to_it_and_a_later_connect_keeps_them()
    {
        var file = Path.Combine(Path.GetTempPath(), "zai-prices-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, """{ "date": "2026-09-01", "prices": { "cogvideox-3": 0.25 } }""");
        try
        {
            var priced = new ConnectionOptions { Prices = Prices.Load(file) };
            var plain = new ConnectionOptions();
            string? NoEnvironment(string _) => null;

            Assert.Equal(0.25m, ZAiSession.Resolve(priced, NoEnvironment).Prices.Estimate("cogvideox-3"));
            Assert.Equal(0.2m, ZAiSession.Resolve(plain, NoEnvironment).Prices.Estimate("cogvideox-3"));
            Assert.Equal(0.2m, ZAiSession.Resolve(null, NoEnvironment).Prices.Estimate("cogvideox-3"));
            Assert.Equal(0.25m, ZAiSession.Resolve(new ConnectionOptions { MaxRetries = 6 }.Over(priced), NoEnvironment).Prices.Estimate("cogvideox-3"));
            Assert.Equal(file, ZAiSession.Resolve(priced, NoEnvironment).Prices.FilePath);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
