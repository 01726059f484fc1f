using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Client
{
    /// <summary>The retry schedule of API and media requests, and which API failures it retries: the transient ones.</summary>
    internal sealed class RetryPolicy : RetrySchedule
    {
        public RetryPolicy(int maxRetries)
            : base(maxRetries)
        {
        }

        public bool ShouldRetry(ZAiApiException error, int retriesSoFar) => ShouldRetry(error.IsTransient, retriesSoFar);
    }
}
