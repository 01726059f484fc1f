using System.Net.Http;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 19, item 5: after a failure every request would meet, nothing more is sent.</summary>
public class FailureLatchTests
{
    private static ZAiApiException Error(ZAiErrorReason reason, int status) =>
        new(reason, $"Task 'x': HTTP {status}.", statusCode: status);

    private sealed class Send
    {
        private readonly TaskCompletionSource<int> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls;
        public Task<int> Run() { Interlocked.Increment(ref Calls); return _answer.Task; }
        public void Answer(int value) => _answer.SetResult(value);
        public void Fail(Exception error) => _answer.SetException(error);
    }

    [Fact]
    public async Task TheFirstRequestGoesAloneAndTheOthersFollowItsAnswer()
    {
        var latch = new FailureLatch();
        Send first = new(), second = new();
        var a = latch.RunAsync(first.Run, "A", CancellationToken.None);
        var b = latch.RunAsync(second.Run, "B", CancellationToken.None);
        Assert.Equal(1, first.Calls);
        Assert.Equal(0, second.Calls);

        first.Answer(1);
        Assert.Equal(1, await a);
        second.Answer(2);
        Assert.Equal(2, await b);
        Assert.Equal(1, second.Calls);
    }

    [Theory]
    [InlineData(ZAiErrorReason.AuthenticationFailed, 401)]
    [InlineData(ZAiErrorReason.EndpointNotFound, 404)]
    public async Task AFailureOfEveryRequestStopsTheRestUnsent(ZAiErrorReason reason, int status)
    {
        var latch = new FailureLatch();
        Send first = new(), second = new(), third = new();
        var a = latch.RunAsync(first.Run, "Prompt 'one'", CancellationToken.None);
        var b = latch.RunAsync(second.Run, "Prompt 'two'", CancellationToken.None);
        var original = Error(reason, status);
        first.Fail(original);

        Assert.Same(original, await Assert.ThrowsAsync<ZAiApiException>(() => a));
        var refused = await Assert.ThrowsAsync<ZAiApiException>(() => b);
        var later = await Assert.ThrowsAsync<ZAiApiException>(() => latch.RunAsync(third.Run, "Prompt 'three'", CancellationToken.None));
        Assert.Equal(0, second.Calls + third.Calls);
        Assert.Equal(reason, refused.Reason);
        Assert.Equal(status, refused.StatusCode);
        Assert.Equal($"Prompt 'two': not sent. Another request of this command failed with {original.ErrorId} (HTTP {status}), as every request would; see that error.", refused.Message);
        Assert.Same(original, refused.InnerException);
        Assert.Null(ErrorAdvice.For(refused));
        Assert.NotNull(ErrorAdvice.For(original));
        Assert.StartsWith("Prompt 'three': not sent.", later.Message);
    }

    [Theory]
    [InlineData(ZAiErrorReason.ServerError, 500)]
    [InlineData(ZAiErrorReason.NotFound, 404)]
    [InlineData(ZAiErrorReason.InvalidRequest, 400)]
    [InlineData(ZAiErrorReason.RateLimited, 429)]
    public async Task AFailureOfOneRequestLetsTheOthersGo(ZAiErrorReason reason, int status)
    {
        var latch = new FailureLatch();
        Send first = new(), second = new();
        var a = latch.RunAsync(first.Run, "A", CancellationToken.None);
        var b = latch.RunAsync(second.Run, "B", CancellationToken.None);
        first.Fail(Error(reason, status));
        await Assert.ThrowsAsync<ZAiApiException>(() => a);
        second.Answer(2);
        Assert.Equal(2, await b);
        Assert.Null(latch.Failure);
    }

    [Fact]
    public async Task AKeyRevokedLaterStopsWhatIsNotSentYet()
    {
        var latch = new FailureLatch();
        Send first = new(), second = new(), third = new();
        var a = latch.RunAsync(first.Run, "A", CancellationToken.None);
        first.Answer(1);
        await a;
        var b = latch.RunAsync(second.Run, "B", CancellationToken.None);
        second.Fail(Error(ZAiErrorReason.AuthenticationFailed, 401));
        await Assert.ThrowsAsync<ZAiApiException>(() => b);
        await Assert.ThrowsAsync<ZAiApiException>(() => latch.RunAsync(third.Run, "C", CancellationToken.None));
        Assert.Equal(0, third.Calls);
    }

    [Fact]
    public async Task ARequestWaitingForTheFirstAnswerEndsAtCancellation()
    {
        var latch = new FailureLatch();
        Send first = new(), second = new();
        using var stop = new CancellationTokenSource();
        _ = latch.RunAsync(first.Run, "A", CancellationToken.None);
        var b = latch.RunAsync(second.Run, "B", stop.Token);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        Assert.Equal(0, second.Calls);
    }

    [Fact]
    public async Task ACancelledFirstRequestLetsTheNextOneGo()
    {
        var latch = new FailureLatch();
        Send first = new(), second = new();
        var a = latch.RunAsync(first.Run, "A", CancellationToken.None);
        var b = latch.RunAsync(second.Run, "B", CancellationToken.None);
        first.Fail(new OperationCanceledException());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        second.Answer(2);
        Assert.Equal(2, await b);
    }
}

/// <summary>The latch in the real sender, against the emulator: one request for a wrong key, however many calls.</summary>
public class FailureLatchSenderTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public FailureLatchSenderTests(EmulatorFixture emulator) => _emulator = emulator;

    [Fact]
    public async Task AWrongKeyCostsOneRequestForFiveCalls()
    {
        var sender = new ApiRequestSender(_emulator.Settings(key: "sk-wrong-" + Guid.NewGuid().ToString("N")), NullLog.Instance);
        var ids = Enumerable.Range(0, 5).Select(_ => EmulatorFixture.NewId("latch")).ToArray();
        var calls = ids.Select(id => sender.SendAsync(HttpMethod.Get, "paas/v4/async-result/" + id, $"Task '{id}'", null, CancellationToken.None)).ToArray();
        var errors = new List<ZAiApiException>();
        foreach (var call in calls) errors.Add(await Assert.ThrowsAsync<ZAiApiException>(() => call));

        Assert.All(errors, e => Assert.Equal(ZAiErrorReason.AuthenticationFailed, e.Reason));
        Assert.Single(errors, e => !e.Message.Contains("not sent"));
        Assert.Equal(1, ids.Sum(id => _emulator.Server.GetRequests(pathContains: id).Count));
    }
}

/// <summary>The first request's head start is bounded: a slow first task never holds up the others for long.</summary>
public class FailureLatchPilotWaitTests
{
    [Fact]
    public async Task TheOthersGoWhenTheFirstAnswerTakesLongerThanThePilotWait()
    {
        var clock = new ManualClock();
        var latch = new FailureLatch(clock, TimeSpan.FromSeconds(2));
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = latch.RunAsync(() => slow.Task, "A", CancellationToken.None);
        var b = latch.RunAsync(() => { sent.TrySetResult(2); return sent.Task; }, "B", CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(sent.Task.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(2, await b);
        Assert.False(a.IsCompleted);

        slow.SetException(new ZAiApiException(ZAiErrorReason.AuthenticationFailed, "A: HTTP 401.", statusCode: 401));
        await Assert.ThrowsAsync<ZAiApiException>(() => a);
        var c = await Assert.ThrowsAsync<ZAiApiException>(() => latch.RunAsync(() => Task.FromResult(3), "C", CancellationToken.None));
        Assert.StartsWith("C: not sent.", c.Message);
    }
}
