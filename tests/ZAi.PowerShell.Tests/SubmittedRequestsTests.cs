using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>One account's record of request ids chosen by users (a new one per test).</summary>
public class SubmittedRequestsTests
{
    private readonly SubmittedRequests Requests = new SubmittedRequests();

    private static GenerationRequest Request(string requestId, string prompt = "a fox") =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, RequestId = requestId });

    private static string NewRequestId() => "req-" + Guid.NewGuid().ToString("N");

    private static AsyncResult Result(string id) => TestResults.Parse($$"""{"id":"{{id}}","model":"cogvideox-3","task_status":"PROCESSING"}""");

    [Fact]
    public async Task The_same_request_again_gets_the_first_task_without_a_second_submission()
    {
        var requestId = NewRequestId();
        var calls = 0;
        var first = Requests.GetOrSubmit(Request(requestId), () => { calls++; return Task.FromResult(Result("task-1")); }, out var reusedFirst);
        var second = Requests.GetOrSubmit(Request(requestId), () => { calls++; return Task.FromResult(Result("task-2")); }, out var reusedSecond);
        Assert.False(reusedFirst);
        Assert.True(reusedSecond);
        Assert.Equal(1, calls);
        Assert.Equal("task-1", (await second).Id);
        Assert.Same(await first, await second);
    }

    [Fact]
    public void A_submission_still_in_flight_is_shared()
    {
        var requestId = NewRequestId();
        var pending = new TaskCompletionSource<AsyncResult>();
        var first = Requests.GetOrSubmit(Request(requestId), () => pending.Task, out _);
        var second = Requests.GetOrSubmit(Request(requestId), () => throw new InvalidOperationException("must not submit again"), out var reused);
        Assert.True(reused);
        Assert.Same(first, second);
        pending.SetResult(Result("task-1"));
    }

    [Fact]
    public async Task The_send_starts_without_the_registry_lock_held()
    {
        // A send that blocks (DNS, a slow proxy) must not stall every other submission of the process.
        var other = NewRequestId();
        var otherCompleted = false;
        var first = Requests.GetOrSubmit(Request(NewRequestId()), () =>
        {
            var elsewhere = Task.Run(() => Requests.GetOrSubmit(Request(other), () => Task.FromResult(Result("task-other")), out _));
            otherCompleted = elsewhere.Wait(TimeSpan.FromSeconds(5));
            return Task.FromResult(Result("task-1"));
        }, out _);

        Assert.Equal("task-1", (await first).Id);
        Assert.True(otherCompleted, "Another thread's submission waited for this send.");
    }

    [Fact]
    public async Task A_submit_function_that_throws_fails_the_submission_and_frees_the_id()
    {
        var requestId = NewRequestId();
        var failed = Requests.GetOrSubmit(Request(requestId), () => throw new InvalidOperationException("no network"), out _);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal("no network", error.Message);
        var again = Requests.GetOrSubmit(Request(requestId), () => Task.FromResult(Result("task-2")), out var reused);
        Assert.False(reused);
        Assert.Equal("task-2", (await again).Id);
    }

    [Fact]
    public async Task A_different_request_with_the_same_id_is_refused_naming_the_task()
    {
        var requestId = NewRequestId();
        await Requests.GetOrSubmit(Request(requestId, "a fox"), () => Task.FromResult(Result("task-fox")), out _);
        var conflicting = Request(requestId, "a cat");
        Func<Task<AsyncResult>> mustNotSubmit = () => throw new InvalidOperationException("must not submit");
        // GetOrSubmit refuses synchronously, before any task exists.
        ZAiApiException? error = null;
        try
        {
            _ = Requests.GetOrSubmit(conflicting, mustNotSubmit, out _);
        }
        catch (ZAiApiException refused)
        {
            error = refused;
        }
        Assert.NotNull(error);
        Assert.Equal(ZAiErrorReason.DuplicateRequest, error.Reason);
        Assert.Equal("ZAiDuplicateRequest", error.ErrorId);
        Assert.Contains(requestId, error.Message);
        Assert.Contains("task-fox", error.Message);
    }

    [Fact]
    public async Task A_failed_submission_is_forgotten_so_a_rerun_can_use_the_id()
    {
        var requestId = NewRequestId();
        var failed = Requests.GetOrSubmit(Request(requestId), () => Task.FromException<AsyncResult>(new ZAiApiException(ZAiErrorReason.InvalidRequest, "bad")), out _);
        await Assert.ThrowsAsync<ZAiApiException>(() => failed);
        var again = Requests.GetOrSubmit(Request(requestId, "corrected"), () => Task.FromResult(Result("task-2")), out var reused);
        Assert.False(reused);
        Assert.Equal("task-2", (await again).Id);
    }

    [Fact]
    public async Task The_record_is_bounded_and_forgets_the_oldest()
    {
        var oldest = NewRequestId();
        await Requests.GetOrSubmit(Request(oldest), () => Task.FromResult(Result("old")), out _);
        for (var i = 0; i < Requests.Capacity; i++)
        {
            await Requests.GetOrSubmit(Request(NewRequestId()), () => Task.FromResult(Result("filler")), out _);
        }
        var calls = 0;
        await Requests.GetOrSubmit(Request(oldest), () => { calls++; return Task.FromResult(Result("new")); }, out var reused);
        Assert.False(reused);
        Assert.Equal(1, calls);
    }
}
