using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class WaitProgressTests
{
    [Fact]
    public void DoneCountsEveryEndedTaskButNotRunningOnes()
    {
        var progress = new WaitProgress { Total = 10, Succeeded = 1, Failed = 2, Errors = 3, TimedOut = 4, Running = 5 };

        Assert.Equal(10, progress.Done);
    }

    [Fact]
    public void ANewProgressIsEmpty()
    {
        var progress = new WaitProgress();

        Assert.Equal(0, progress.Done);
        Assert.Null(progress.OldestRunningId);
        Assert.Null(progress.OldestRunningStatus);
        Assert.Equal(TimeSpan.Zero, progress.Elapsed);
    }
}
