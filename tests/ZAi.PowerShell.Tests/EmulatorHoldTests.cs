using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// The emulator's hold gate (<c>/_emulator/hold</c>), which kill tests (LedgerFaults.Tests.ps1) stand on: after the
/// armed event every API and media request waits, and a release drops them unanswered, so a client killed at the
/// event can do nothing more, however loaded the machine is.
/// </summary>
public sealed class EmulatorHoldTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _fixture;
    private readonly HttpClient _http = new();

    public EmulatorHoldTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EmulatorFixture.ApiKeyValue);
    }

    public void Dispose()
    {
        _http.DeleteAsync(Control("hold")).GetAwaiter().GetResult();
        _http.Dispose();
    }

    private Uri Control(string path) => new(_fixture.Server.RootUrl, "_emulator/" + path);

    private Task<HttpResponseMessage> Submit(string prompt) =>
        _http.PostAsync(new Uri(_fixture.Server.RootUrl, "api/paas/v4/videos/generations"),
            new StringContent(JsonSerializer.Serialize(new { model = "cogvideox-3", prompt }), Encoding.UTF8, "application/json"));

    private async Task<JsonElement> Hold(int waitMs = 0) =>
        JsonDocument.Parse(await _http.GetStringAsync(Control($"hold?waitMs={waitMs}"))).RootElement;

    private async Task Arm(string on, int count)
    {
        var armed = await _http.PostAsync(Control("hold"), new StringContent($$"""{"on":"{{on}}","count":{{count}}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, armed.StatusCode);
    }

    /// <summary>Waits (on the emulator's answers, not a clock) until <paramref name="count"/> requests are held.</summary>
    private async Task UntilHeld(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Hold()).GetProperty("held").GetInt32() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{count} request(s) were not held within 20 s.");
        }
    }

    [Fact]
    public async Task TheRequestLogOrdersRequestsAsTheyArrivedAsWellAsAsTheyEnded()
    {
        // A held poll arrives before a control request but ends after it: its sequence (ends) comes later, its
        // arrival sequence earlier. Tests that ask which request was sent first read the arrival sequence.
        await Arm("accepted", 1);
        var first = await Submit("arrivals");
        var taskId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.True((await Hold(waitMs: 5000)).GetProperty("holding").GetBoolean());
        var poll = _http.GetAsync(new Uri(_fixture.Server.RootUrl, "api/paas/v4/async-result/" + taskId));
        await UntilHeld(1);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(Control("task?id=" + taskId))).StatusCode);
        await _http.DeleteAsync(Control("hold"));
        await Assert.ThrowsAsync<HttpRequestException>(() => poll);

        // The dropped poll is logged as its handler ends, which may come just after its client saw the connection close.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<JsonElement> log;
        while (!(log = JsonDocument.Parse(await _http.GetStringAsync(Control("requests?pathContains=" + taskId))).RootElement.EnumerateArray().ToList())
            .Any(e => e.GetProperty("rawTarget").GetString()!.Contains("/async-result/", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The dropped poll was not logged within 20 s.");
        }
        var control = log.Single(e => e.GetProperty("rawTarget").GetString()!.StartsWith("/_emulator/task?", StringComparison.Ordinal));
        var held = log.Single(e => e.GetProperty("rawTarget").GetString()!.Contains("/async-result/", StringComparison.Ordinal));
        Assert.True(held.GetProperty("arrivalSequence").GetInt64() < control.GetProperty("arrivalSequence").GetInt64());
        Assert.True(held.GetProperty("sequence").GetInt64() > control.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task AfterTheArmedAcceptedSubmissionEveryRequestWaitsAndAReleaseDropsItUnanswered()
    {
        await Arm("accepted", 1);
        Assert.False((await Hold()).GetProperty("holding").GetBoolean());

        var first = await Submit("first");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);   // the event's own answer goes out
        var taskId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var state = await Hold(waitMs: 5000);
        Assert.True(state.GetProperty("holding").GetBoolean());
        Assert.Equal("accepted", state.GetProperty("on").GetString());

        var poll = _http.GetAsync(new Uri(_fixture.Server.RootUrl, "api/paas/v4/async-result/" + taskId));
        var second = Submit("second");
        await UntilHeld(2);
        Assert.False(poll.IsCompleted);
        Assert.False(second.IsCompleted);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync(Control("hold"))).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => poll);
        await Assert.ThrowsAsync<HttpRequestException>(() => second);
        // Dropped unanswered: the task was never polled, the second submission never created a task.
        var task = JsonDocument.Parse(await _http.GetStringAsync(Control("task?id=" + taskId))).RootElement;
        Assert.Equal(0, task.GetProperty("requestCount").GetInt32());
        var tasks = JsonDocument.Parse(await _http.GetStringAsync(Control("tasks"))).RootElement;
        Assert.DoesNotContain(tasks.EnumerateArray(), t => t.GetProperty("submittedBody").GetString()?.Contains("second") == true);

        // Released and disarmed: requests are answered again.
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(_fixture.Server.RootUrl, "api/paas/v4/async-result/" + taskId))).StatusCode);
    }

    [Fact]
    public async Task ARequestCountHoldsTheRequestThatCompletesIt()
    {
        await Arm("request", 2);
        Assert.Equal(HttpStatusCode.OK, (await Submit("one")).StatusCode);
        var second = Submit("two");
        await UntilHeld(1);
        Assert.True((await Hold()).GetProperty("holding").GetBoolean());
        Assert.False(second.IsCompleted);
        await _http.DeleteAsync(Control("hold"));
        await Assert.ThrowsAsync<HttpRequestException>(() => second);
    }

    [Theory]
    [InlineData("""{"on":"later","count":1}""")]
    [InlineData("""{"on":"media","count":0}""")]
    public async Task ABadArmingIsRefused(string body)
    {
        var answer = await _http.PostAsync(Control("hold"), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.False((await Hold()).GetProperty("holding").GetBoolean());
    }
}
