using System;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Timing
{
    /// <summary>
    /// The module's one retry loop: runs an attempt until it returns, and after each failure asks the caller what
    /// the failure means (<see cref="RetryDecision"/>; the caller may also throw an error of its own instead), then
    /// waits on the injected clock. A stop ends a wait at once. The loop knows nothing of HTTP or media: callers
    /// classify their failures and take the waits from their <see cref="RetrySchedule"/>.
    /// </summary>
    internal sealed class RetryLoop
    {
        private readonly IClock _clock;

        public RetryLoop(IClock clock)
        {
            _clock = clock;
        }

        /// <param name="attempt">One attempt, given the number of retries before it (0 for the first).</param>
        /// <param name="classify">Given a failure and the retries so far: retry after a wait, or give up.</param>
        /// <param name="stop">Cancels a wait between attempts (the attempts take their own tokens).</param>
        public async Task<T> RunAsync<T>(Func<int, Task<T>> attempt, Func<Exception, int, RetryDecision> classify, CancellationToken stop)
        {
            for (var retries = 0; ; retries++)
            {
                RetryDecision decision;
                try
                {
                    return await attempt(retries).ConfigureAwait(false);
                }
                catch (Exception failure)
                {
                    decision = classify(failure, retries);
                    if (!decision.Retries) throw;
                }
                if (decision.Delay > TimeSpan.Zero) await _clock.Delay(decision.Delay, stop).ConfigureAwait(false);
            }
        }
    }
}
