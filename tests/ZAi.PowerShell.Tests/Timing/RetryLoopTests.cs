using ZAi.PowerShell.Timing;
using Xunit;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>The one retry loop, in virtual time: what it waits, when it gives up, and how a stop ends a wait.</summary>
public class RetryLoopTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    /// <summary>A failure that says whether it is worth another try and what the server asked to wait.</summary>
    private sealed class Failure(bool transient, TimeSpan? retryAfter = null) : Exception("failed")
    {
        public bool Transient { get; } = transient;

        public TimeSpan? RetryAfter { get; } = retryAfter;
    }

    /// <summary>Attempts that fail with the given failures in turn, then return how many attempts there were.</summary>
    private sealed class Attempts(params Exception[] failures)
    {
        public List<int> Seen { get; } = new();

        public Task<int> Next(int retries)
        {
            lock (Seen)
            {
                Seen.Add(retries);
                return Seen.Count <= failures.Length ? Task.FromException<int>(failures[Seen.Count - 1]) : Task.FromResult(Seen.Count);
            }
        }

        public int Count { get { lock (Seen) return Seen.Count; } }
    }

    /// <summary>The classification a caller would write: transient failures per the schedule, anything else ends the loop.</summary>
    private static Func<Exception, int, RetryDecision> PerSchedule(RetrySchedule schedule) => (failure, retries) =>
        failure is Failure f && schedule.ShouldRetry(f.Transient, retries) ? RetryDecision.After(schedule.Delay(retries, f.RetryAfter)) : RetryDecision.GiveUp;

    [Fact]
    public async Task Each_retry_waits_the_backoff_of_its_number_on_the_clock_before_the_next_attempt()
    {
        var clock = new ManualClock();
        var attempts = new Attempts(new Failure(true), new Failure(true), new Failure(true));
        var run = new RetryLoop(clock).RunAsync(attempts.Next, PerSchedule(new RetrySchedule(3)), CancellationToken.None);

        await BackoffAssert.StepThrough(clock, 3, () => attempts.Count);

        Assert.Equal(4, await run.WaitAsync(Prompt));
        Assert.Equal(new[] { 0, 1, 2, 3 }, attempts.Seen);
        BackoffAssert.Backoffs(3, clock.Requested);
    }

    [Fact]
    public async Task A_retry_after_from_the_server_is_the_wait_capped_at_a_minute()
    {
        var clock = new ManualClock();
        var attempts = new Attempts(new Failure(true, TimeSpan.FromSeconds(7)), new Failure(true, TimeSpan.FromMinutes(5)));
        var run = new RetryLoop(clock).RunAsync(attempts.Next, PerSchedule(new RetrySchedule(3)), CancellationToken.None);

        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(6.9));
        Assert.Equal(1, attempts.Count);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(3, await run.WaitAsync(Prompt));
        Assert.Equal(new[] { TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(60) }, clock.Requested);
    }

    [Fact]
    public async Task After_the_last_retry_the_last_failure_ends_the_loop_as_it_is()
    {
        var clock = new ManualClock();
        var last = new Failure(true, TimeSpan.FromSeconds(1));
        var attempts = new Attempts(new Failure(true, TimeSpan.FromSeconds(1)), new Failure(true, TimeSpan.FromSeconds(1)), last, new Failure(true));
        var run = new RetryLoop(clock).RunAsync(attempts.Next, PerSchedule(new RetrySchedule(2)), CancellationToken.None);

        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await clock.WhenPending(1);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Same(last, await Assert.ThrowsAsync<Failure>(() => run.WaitAsync(Prompt)));
        Assert.Equal(3, attempts.Count);
        Assert.Equal(2, clock.Requested.Count);
    }

    [Fact]
    public async Task A_failure_the_caller_gives_up_on_is_not_retried()
    {
        var clock = new ManualClock();
        var permanent = new Failure(false);
        var attempts = new Attempts(permanent);

        var error = await Assert.ThrowsAsync<Failure>(() => new RetryLoop(clock).RunAsync(attempts.Next, PerSchedule(new RetrySchedule(3)), CancellationToken.None).WaitAsync(Prompt));

        Assert.Same(permanent, error);
        Assert.Equal(1, attempts.Count);
        Assert.Empty(clock.Requested);
    }

    [Fact]
    public async Task An_error_the_classification_throws_replaces_the_failure_and_nothing_is_retried()
    {
        var clock = new ManualClock();
        var attempts = new Attempts(new Failure(true));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new RetryLoop(clock).RunAsync(
            attempts.Next, (failure, _) => throw new InvalidOperationException("outcome unknown", failure), CancellationToken.None).WaitAsync(Prompt));

        Assert.IsType<Failure>(error.InnerException);
        Assert.Equal(1, attempts.Count);
        Assert.Empty(clock.Requested);
    }

    [Fact]
    public async Task A_zero_wait_tries_again_at_once_without_the_clock()
    {
        var clock = new ManualClock();
        var attempts = new Attempts(new Failure(true), new Failure(true));

        var result = await new RetryLoop(clock).RunAsync(attempts.Next, (_, _) => RetryDecision.After(TimeSpan.Zero), CancellationToken.None).WaitAsync(Prompt);

        Assert.Equal(3, result);
        Assert.Equal(new[] { 0, 1, 2 }, attempts.Seen);
        Assert.Empty(clock.Requested);
    }

    [Fact]
    public async Task A_stop_during_a_wait_ends_it_at_once_and_no_attempt_follows()
    {
        var clock = new ManualClock();
        var attempts = new Attempts(new Failure(true, TimeSpan.FromSeconds(60)));
        using var stop = new CancellationTokenSource();
        var run = new RetryLoop(clock).RunAsync(attempts.Next, PerSchedule(new RetrySchedule(3)), stop.Token);
        await clock.WhenPending(1);

        stop.Cancel();

        // Prompt means without the clock moving: virtual time stands still, so only the stop can end the wait.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Prompt));
        Assert.Equal(0, clock.PendingDelays);
        Assert.Equal(1, attempts.Count);
    }
}
