using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Saving;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 15 against the emulator: usage limits, a wrong base URI, and fetching shallow Save input again.</summary>
public class FirstUseClientTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _fixture;

    public FirstUseClientTests(EmulatorFixture fixture) => _fixture = fixture;

    private AsyncResultClient Client(Uri? baseUri = null)
    {
        var settings = _fixture.Settings();
        if (baseUri != null)
        {
            settings = new ConnectionSettings(baseUri, "test", settings.ApiKey, "test", settings.Language, settings.ConnectTimeout, settings.RequestTimeout, settings.MaxRetries);
        }
        return new AsyncResultClient(new ApiRequestSender(settings, new CollectingLog()));
    }

    private string AddTask(TaskSpec spec)
    {
        spec.Id ??= EmulatorFixture.NewId("first");
        _fixture.Server.AddTasks(spec);
        return spec.Id;
    }

    [Fact]
    public async Task AFetchedResultIsStampedByTheSendersClockAndItsLinksExpireADayFromThere()
    {
        var id = AddTask(new TaskSpec { Kind = "video" });
        var clock = new ManualClock(new DateTime(2031, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        var client = new AsyncResultClient(new ApiRequestSender(_fixture.Settings(), new CollectingLog(), clock: clock), new ZAi.PowerShell.Submitting.AccountState());

        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Success, result.StatusValue);
        Assert.Equal(clock.StartUtc, result.RetrievedAt);
        Assert.Equal(clock.StartUtc.AddDays(1), result.ExpiresAt);
    }

    [Fact]
    public async Task ASenderBuildsItsHttpClientAtItsFirstRequestNotBefore()
    {
        // A connect timeout no other test uses: the client cache is process-wide.
        var basis = _fixture.Settings();
        var settings = new ConnectionSettings(basis.BaseUri, "test", basis.ApiKey, "test", basis.Language, TimeSpan.FromMilliseconds(29_417), basis.RequestTimeout, basis.MaxRetries);
        var id = AddTask(new TaskSpec { Kind = "video" });

        var client = new AsyncResultClient(new ApiRequestSender(settings, new CollectingLog()));
        var builtBeforeAnyRequest = HttpClientCache.Built(settings.BaseUri, settings.ConnectTimeout, settings.Proxy);
        var result = await client.GetAsync(id, CancellationToken.None);

        Assert.False(builtBeforeAnyRequest);
        Assert.Equal(id, result.Id);
        Assert.True(HttpClientCache.Built(settings.BaseUri, settings.ConnectTimeout, settings.Proxy));
    }

    [Theory]
    [InlineData("1310", "Weekly/Monthly Limit Exhausted. Your limit will reset at 2026-03-06 22:19:54", "2026-03-06 22:19:54")]
    [InlineData("1308", "Usage limit reached. Your limit will reset at 2026-03-06T05:00:00Z", "2026-03-06T05:00:00Z")]
    [InlineData("1313", "Fair use policy", null)]
    public async Task AUsageLimitWithHttp429IsNotRetriedAndSaysWhenItResets(string code, string message, string? reset)
    {
        var id = AddTask(new TaskSpec { Faults = new List<FaultSpec> { new() { Type = "status", Status = 429, Envelope = "zai", Code = code, Message = message } } });

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => Client().GetAsync(id, CancellationToken.None));

        Assert.Equal(ZAiErrorReason.UsageLimitReached, error.Reason);
        Assert.Equal("ZAiUsageLimitReached", error.ErrorId);
        Assert.False(error.IsTransient);
        Assert.Equal(reset, error.LimitResetsAt);
        if (reset != null) Assert.Contains("until " + reset, error.Message);
        Assert.Single(_fixture.Server.GetRequests(id));
    }

    [Fact]
    public async Task A404ThatIsNotTheApiJsonIsAWrongEndpointNamingTheBaseUri()
    {
        var root = _fixture.Server.RootUrl;

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => Client(root).GetAsync("some-task", CancellationToken.None));

        Assert.Equal(ZAiErrorReason.EndpointNotFound, error.Reason);
        Assert.Equal("ZAiEndpointNotFound", error.ErrorId);
        Assert.Equal(404, error.StatusCode);
        Assert.Contains(root.AbsoluteUri, error.Message);
        Assert.Contains("/api", error.Message);
        Assert.DoesNotContain("task id", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task AMissingTaskIsStillTaskNotFound()
    {
        var error = await Assert.ThrowsAsync<ZAiApiException>(() => Client().GetAsync(EmulatorFixture.NewId("missing"), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.NotFound, error.Reason);
    }

    [Fact]
    public void ShallowInputIsFetchedOncePerTaskIdAndPlannedWithItsCover()
    {
        var id = AddTask(new TaskSpec { Kind = "video" });
        var shallow = new System.Management.Automation.PSObject();
        shallow.Properties.Add(new System.Management.Automation.PSNoteProperty("Id", id));
        shallow.Properties.Add(new System.Management.Automation.PSNoteProperty("Status", "Success"));
        shallow.Properties.Add(new System.Management.Automation.PSNoteProperty("Prompt", "a fox"));
        shallow.Properties.Add(new System.Management.Automation.PSNoteProperty("VideoResult", new System.Collections.ArrayList { "https://cdn.test/x.mp4" }));
        var created = 0;
        var inputs = new SaveInputs(new[] { MediaKind.Video, MediaKind.Cover }, null, () => { created++; return Client(); }, task => task.Wait(), new CollectingLog());

        var first = inputs.Plan(shallow, CancellationToken.None);
        var second = inputs.Plan(shallow, CancellationToken.None);

        Assert.Equal(new[] { MediaKind.Video, MediaKind.Cover }, first.Items.Select(i => i.Kind));
        Assert.All(first.Items, item => Assert.Equal("a fox", item.Prompt));
        Assert.Equal(2, second.Items.Count);
        Assert.Equal(1, created);
        Assert.Single(_fixture.Server.GetRequests(id));
    }

    [Fact]
    public void AFailedFetchIsThePlansFailure()
    {
        var shallow = new System.Management.Automation.PSObject();
        shallow.Properties.Add(new System.Management.Automation.PSNoteProperty("Id", EmulatorFixture.NewId("gone")));
        shallow.Properties.Add(new System.Management.Automation.PSNoteProperty("TaskStatus", "SUCCESS"));
        var inputs = new SaveInputs(new[] { MediaKind.Video }, null, () => Client(), task => ((IAsyncResult)task).AsyncWaitHandle.WaitOne(), new CollectingLog());

        var plan = inputs.Plan(shallow, CancellationToken.None);

        Assert.Empty(plan.Items);
        Assert.Equal(ZAiErrorReason.NotFound, Assert.IsType<ZAiApiException>(plan.Failure).Reason);
    }

    [Fact]
    public void ALiveResultNeverCausesARequest()
    {
        var result = TestResults.Parse("""{"id":"live","task_status":"SUCCESS","video_result":[]}""");
        var inputs = new SaveInputs(new[] { MediaKind.Video }, null, () => throw new InvalidOperationException("no client wanted"), _ => { }, new CollectingLog());

        var plan = inputs.Plan(result, CancellationToken.None);

        Assert.Empty(plan.Items);
        Assert.NotNull(plan.NoMediaReason);
    }

    [Fact]
    public async Task LinkExpiryCountsFromTheFirstSuccessTheAccountSawNotFromTheLatestFetch()
    {
        var id = AddTask(new TaskSpec { Kind = "video" });
        AsyncResultClient For(ZAi.PowerShell.Submitting.AccountState account) => new(new ApiRequestSender(_fixture.Settings(), new CollectingLog()), account);
        var client = For(new ZAi.PowerShell.Submitting.AccountState());

        var first = await client.GetAsync(id, CancellationToken.None);
        var again = await client.GetAsync(id, CancellationToken.None);
        var otherAccount = await For(new ZAi.PowerShell.Submitting.AccountState()).GetAsync(id, CancellationToken.None);

        Assert.Equal(AsyncTaskStatus.Success, first.StatusValue);
        Assert.True(again.RetrievedAt > first.RetrievedAt);
        Assert.Equal(first.RetrievedAt.AddDays(1), first.ExpiresAt);
        Assert.Equal(first.ExpiresAt, again.ExpiresAt);
        // Another account (another connection) counts from its own first sight.
        Assert.Equal(otherAccount.RetrievedAt.AddDays(1), otherAccount.ExpiresAt);
    }

    [Fact]
    public void FirstSuccessesPastTheirCapacityStartAfresh()
    {
        var at = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
        var seen = new FirstSuccesses(capacity: 2);

        seen.FirstSeen("a", at);
        seen.FirstSeen("b", at);
        Assert.Equal(at, seen.FirstSeen("b", at.AddHours(1)));
        seen.FirstSeen("c", at.AddHours(2));

        // A later estimate than the first sighting, never an earlier one.
        Assert.Equal(at.AddHours(3), seen.FirstSeen("a", at.AddHours(3)));
        Assert.Equal(at.AddHours(2), seen.FirstSeen("c", at.AddHours(4)));
    }
}
