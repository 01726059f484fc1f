using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class RetryPolicyTests
{
    [Fact]
    public void ShouldRetryTransientErrorsUntilMaxRetries()
    {
        var policy = new RetryPolicy(2);
        var transient = new ZAiApiException(ZAiErrorReason.ServiceUnavailable, "503", statusCode: 503, isTransient: true);

        Assert.Equal(2, policy.MaxRetries);
        Assert.True(policy.ShouldRetry(transient, 0));
        Assert.True(policy.ShouldRetry(transient, 1));
        Assert.False(policy.ShouldRetry(transient, 2));
        Assert.False(policy.ShouldRetry(transient, 3));
    }

    [Fact]
    public void ShouldRetryNeverRetriesPermanentErrors()
    {
        var policy = new RetryPolicy(5);
        var permanent = new ZAiApiException(ZAiErrorReason.InvalidRequest, "400", statusCode: 400, errorCode: "1214", isTransient: false);

        Assert.False(policy.ShouldRetry(permanent, 0));
    }

    [Fact]
    public void ZeroMaxRetriesNeverRetries()
    {
        var transient = new ZAiApiException(ZAiErrorReason.RateLimited, "429", statusCode: 429, isTransient: true);

        Assert.False(new RetryPolicy(0).ShouldRetry(transient, 0));
    }

    [Fact]
    public void NegativeMaxRetriesIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(-1));
    }
}
