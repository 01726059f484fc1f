using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class WaitOptionsTests
{
    [Fact]
    public void DefaultsAreFiveSecondsGrowingToThirtyWithinHalfAnHourTenAtATime()
    {
        var options = new WaitOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), options.FirstInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxInterval);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Timeout);
        Assert.Equal(10, options.ThrottleLimit);
        Assert.False(options.Any);
        Assert.Equal(WaitOptions.DefaultFirstInterval, options.FirstInterval);
        Assert.Equal(WaitOptions.DefaultMaxInterval, options.MaxInterval);
        Assert.Equal(WaitOptions.DefaultTimeout, options.Timeout);
        Assert.Equal(WaitOptions.DefaultThrottleLimit, options.ThrottleLimit);
    }
}
