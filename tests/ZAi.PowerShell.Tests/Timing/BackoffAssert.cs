using Xunit;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>Checks of retry waits on a <see cref="ManualClock"/>.</summary>
internal static class BackoffAssert
{
    /// <summary>
    /// Lets <paramref name="waits"/> retry waits run out one by one, checking that each next attempt starts only once its
    /// wait is over, not a millisecond before: <paramref name="attempts"/> counts the attempts the server saw.
    /// </summary>
    public static async Task StepThrough(ManualClock clock, int waits, Func<int> attempts)
    {
        for (var retry = 0; retry < waits; retry++)
        {
            await clock.WhenPending(1);
            Assert.Equal(retry + 1, attempts());
            clock.Advance(clock.Requested[retry] - TimeSpan.FromMilliseconds(1));
            Assert.Equal(retry + 1, attempts());
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    /// <summary>The waits were taken from the backoff: 0.5 s, 1 s, 2 s ... each scaled by a jitter in [0.75, 1].</summary>
    public static void Backoffs(int count, IReadOnlyList<TimeSpan> waits)
    {
        Assert.Equal(count, waits.Count);
        for (var retry = 0; retry < count; retry++)
        {
            var nominal = TimeSpan.FromSeconds(0.5 * Math.Pow(2, retry));
            Assert.InRange(waits[retry], nominal * 0.75, nominal);
        }
    }
}
