using System.Text;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests.TaskKinds;

/// <summary>Async chat and the agents API over real HTTP to the emulator: submission, polling on the right endpoint, results.</summary>
public class TaskKindClientTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _fixture;
    private readonly EmulatorServer _server;

    public TaskKindClientTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.ConfigureSubmissions(new TaskSpec { ProcessingPolls = 1 }, Array.Empty<FaultSpec>());
    }

    private (SubmissionClient Submit, AsyncResultClient Results) Clients(ManualClock? clock = null)
    {
        var sender = new ApiRequestSender(_fixture.Settings(), new CollectingLog(), clock: clock);
        return (new SubmissionClient(sender, new RateLimitGate(), new CollectingLog()), new AsyncResultClient(sender, sender.Settings.Account()));
    }

    [Fact]
    public async Task A_chat_task_is_submitted_with_its_conversation_and_its_result_echoes_the_prompt()
    {
        var (submit, results) = Clients();
        var prompt = "classify ticket " + Guid.NewGuid().ToString("N");
        var request = ChatRequestFactory.Create(new ChatCompletionOptions { Prompt = prompt, System = "One word.", Temperature = 0.5 });

        var task = await submit.SubmitAsync(request, CancellationToken.None);
        var running = await results.GetAsync(task.Id, CancellationToken.None);
        var done = await results.GetAsync(task.Id, CancellationToken.None);

        Assert.Equal("Chat", task.Kind);
        Assert.Equal("Processing", running.Status);
        Assert.Equal("Success", done.Status);
        Assert.Equal("Echo: " + prompt, done.Content);
        Assert.Equal(3, done.Usage!.PromptTokens);
        Assert.NotNull(done.ReasoningContent);
        var body = _server.GetTask(task.Id)!.SubmittedBody!;
        Assert.Contains("\"messages\":[{\"role\":\"system\",\"content\":\"One word.\"},{\"role\":\"user\",\"content\":\"" + prompt + "\"}]", body);
        Assert.Contains("\"temperature\":0.5", body);
    }

    [Fact]
    public async Task An_effect_task_knows_its_agent_and_is_polled_on_the_agents_endpoint_only()
    {
        var clock = new ManualClock(new DateTime(2031, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        var (submit, results) = Clients(clock);
        var request = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://images.example/" + Guid.NewGuid().ToString("N") + ".png" });

        var task = await submit.SubmitAsync(request, CancellationToken.None);
        var running = await results.GetAsync(task.Id, CancellationToken.None);
        var done = await results.GetAsync(task.Id, CancellationToken.None);

        Assert.Equal("vidu_template_agent", task.AgentId);
        Assert.Equal("pending", task.TaskStatus);
        Assert.Equal("pending", running.TaskStatus);
        Assert.Equal("success", done.TaskStatus);
        Assert.Equal("Video", done.Kind);
        Assert.EndsWith("/" + task.Id + "/video_0.mp4", done.VideoUrl);
        Assert.Equal(2, _server.GetRequests(taskId: task.Id, pathContains: "/v1/agents/async-result").Count);
        Assert.Empty(_server.GetRequests(taskId: task.Id, pathContains: "/paas/v4/async-result"));
        var body = _server.GetRequests(pathContains: "/v1/agents/async-result").Last(e => e.TaskId == task.Id).Body!;
        Assert.Equal("{\"agent_id\":\"vidu_template_agent\",\"async_id\":\"" + task.Id + "\"}", body);
        // Both answers of the agents API are stamped by the sender's clock.
        Assert.Equal((clock.StartUtc, clock.StartUtc), (task.RetrievedAt, done.RetrievedAt));
    }

    [Fact]
    public async Task An_effect_id_read_back_without_its_agent_is_not_found_on_the_async_result_endpoint()
    {
        var (submit, _) = Clients();
        var request = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "french_kiss", Image = "https://images.example/x.png" });
        var task = await submit.SubmitAsync(request, CancellationToken.None);
        // Another connection (a new registry) has never seen the task: only the agent that travels with it finds it.
        var fresh = new AsyncResultClient(new ApiRequestSender(_fixture.Settings(memory: new ConnectionMemory()), new CollectingLog()));

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => fresh.GetAsync(task.Id, CancellationToken.None));
        var found = await fresh.GetAsync(task.Id, "vidu_template_agent", CancellationToken.None);
        var bare = await fresh.GetAsync(task.Id, CancellationToken.None);

        Assert.Equal(ZAiErrorReason.NotFound, error.Reason);
        Assert.Equal("vidu_template_agent", found.AgentId);
        Assert.Equal("vidu_template_agent", bare.AgentId);
    }

    [Fact]
    public async Task A_failed_effect_carries_the_agents_error()
    {
        _server.ConfigureSubmissions(new TaskSpec { Outcome = "FAIL" }, Array.Empty<FaultSpec>());
        var (submit, results) = Clients();
        var request = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "sexy_me", Image = "https://images.example/y.png" });

        var task = await submit.SubmitAsync(request, CancellationToken.None);
        var done = await results.GetAsync(task.Id, CancellationToken.None);

        Assert.Equal("Fail", done.Status);
        Assert.Equal("failed", done.TaskStatus);
        Assert.Equal("1301", done.ErrorCode);
        Assert.Contains("could not be applied", done.ErrorMessage);
    }

    [Fact]
    public async Task An_unknown_template_is_refused_by_the_agent_with_its_message()
    {
        var (submit, _) = Clients();
        var request = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "moonwalk", Image = "https://images.example/z.png" });

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => submit.SubmitAsync(request, CancellationToken.None));

        Assert.Equal(ZAiErrorReason.InvalidRequest, error.Reason);
        Assert.Contains("the agent refused the task (code 1214): Unknown template 'moonwalk'", error.Message);
    }
}
