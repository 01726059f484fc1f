using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Tests.Engine;
using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 19, item 9: while tasks still arrive, Wait's total is "so far".</summary>
public class WaitProgressSoFarTests
{
    [Theory]
    [InlineData(false, "0 of 1 so far done: 0 succeeded, 0 failed, 1 running; ")]
    [InlineData(true, "0 of 1 done: 0 succeeded, 0 failed, 1 running; ")]
    public void SaysSoFarUntilTheInputIsComplete(bool inputComplete, string expectedStart)
    {
        var sink = new RecordingSink();
        var reporter = new WaitProgressReporter(sink, 1, TimeSpan.Zero) { InputComplete = inputComplete };

        reporter.Update(new WaitProgress { Total = 1, Running = 1 });

        Assert.StartsWith(expectedStart, Assert.Single(sink.Progress).StatusDescription);
    }
}
