using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>The session's knowledge of an account as one explicit object: bounded, per connection, two waits per id.</summary>
public class AccountStateTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private static AsyncResult Finished(string id) =>
        TestResults.Parse($$"""{"id":"{{id}}","model":"cogvideox-3","task_status":"SUCCESS","video_result":[]}""");

    [Fact]
    public void TwoWaitsOnOneTaskEachKeepTheirNudge()
    {
        var account = new AccountState(new ManualClock());
        var first = 0;
        var second = 0;
        var a = account.WaitStarted("t", () => first++);
        var b = account.WaitStarted("t", () => second++);

        a.Dispose();
        Assert.True(account.TryNudge("t"));

        Assert.Equal((0, 1), (first, second));
        b.Dispose();
        b.Dispose();
        Assert.False(account.TryNudge("t"));
        Assert.Equal(0, account.WaitCount);
    }

    [Fact]
    public async Task AResultReadThroughTheAccountFreesTheRoomOfItsFinishedTask()
    {
        var account = new AccountState(new ManualClock());
        await account.Capacity.AcquireAsync(CancellationToken.None).WaitAsync(Guard);
        account.Track("t1");

        account.Observe(Finished("someone-else"));
        Assert.Equal(1, account.Capacity.Running);
        account.Observe(Finished("t1"));

        Assert.Equal(0, account.Capacity.Running);
    }

    [Fact]
    public void TasksNobodySawFinishAreForgottenAfterAnyTaskCouldHaveRun()
    {
        var clock = new ManualClock();
        var account = new AccountState(clock);
        account.Adopt("never-seen");
        clock.Advance(SubmissionCapacity.ForgetAfter);
        account.Adopt("recent");
        Assert.Equal(2, account.Capacity.Running);

        clock.Advance(TimeSpan.FromMinutes(1));
        account.Adopt("newest");

        Assert.Equal(new[] { "newest", "recent" }, account.Capacity.RunningTasks().Select(t => t.Key).OrderBy(k => k).ToArray());
    }

    [Fact]
    public void NoMoreThanTheBoundOfRunningTasksIsRemembered()
    {
        var clock = new ManualClock();
        var account = new AccountState(clock);
        for (var i = 0; i <= SubmissionCapacity.MaxTracked; i++)
        {
            account.Adopt("t" + i);
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(SubmissionCapacity.MaxTracked, account.Capacity.Running);
        Assert.DoesNotContain(account.Capacity.RunningTasks(), t => t.Key == "t0");
    }

    [Fact]
    public void EachConnectionHasItsOwnAccountsAndTheEnvironmentSharesOne()
    {
        var options = new ConnectionOptions { BaseUri = new Uri("http://127.0.0.1:1/api/"), ApiKey = ApiKey.FromPlainText("sk-a") };
        var first = ZAiSession.Resolve(options, _ => null);
        var again = ZAiSession.Resolve(options, _ => null);
        var reconnected = ZAiSession.Resolve(new ConnectionOptions { BaseUri = options.BaseUri, ApiKey = options.ApiKey }, _ => null);
        var fromEnvironment = ZAiSession.Resolve(null, name => name == ZAiSession.ApiKeyVariable ? "sk-a" : null);

        Assert.Same(first.Account(), again.Account());
        Assert.NotSame(first.Account(), reconnected.Account());
        Assert.Same(fromEnvironment.Account(), ZAiSession.Resolve(null, name => name == ZAiSession.ApiKeyVariable ? "sk-a" : null).Account());
    }
}
