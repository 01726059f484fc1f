using System.Management.Automation;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Tests.Engine;
using ZAi.PowerShell.Waiting;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>The submit, wait and save progress bars write at most every 250 ms of the injected clock, and finish with a completed record.</summary>
public class ProgressPacingTests
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Just = TimeSpan.FromMilliseconds(249);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static string[] Statuses(RecordingSink sink) => sink.Progress.Select(p => p.RecordType == ProgressRecordType.Completed ? "completed: " + p.StatusDescription : p.StatusDescription).ToArray();

    [Fact]
    public void The_wait_bar_writes_the_first_update_holds_those_within_the_interval_and_completes()
    {
        var clock = new ManualClock();
        var sink = new RecordingSink();
        var reporter = new WaitProgressReporter(sink, 1, Every, clock) { InputComplete = true };

        reporter.Update(new WaitProgress { Total = 3, Running = 3 });
        clock.Advance(Just);
        reporter.Update(new WaitProgress { Total = 3, Running = 2, Succeeded = 1 });
        clock.Advance(Tick);
        reporter.Update(new WaitProgress { Total = 3, Running = 1, Succeeded = 2 });
        reporter.Complete();

        Assert.Equal(
            new[] { "0 of 3 done: 0 succeeded, 0 failed, 3 running; 0:00 elapsed", "2 of 3 done: 2 succeeded, 0 failed, 1 running; 0:00 elapsed", "completed: Done" },
            Statuses(sink));
    }

    [Fact]
    public void The_submit_bar_starts_when_requests_are_held_back_and_then_writes_at_most_every_interval()
    {
        var clock = new ManualClock();
        var sink = new RecordingSink();
        var capacity = new SubmissionCapacity(clock);
        var reporter = new SubmitProgressReporter(sink, 1, Every, clock);

        reporter.Update(0, 2, capacity, TimeSpan.Zero);
        reporter.Update(0, 2, capacity, TimeSpan.FromSeconds(5));
        clock.Advance(Just);
        reporter.Update(1, 1, capacity, TimeSpan.FromSeconds(4));
        clock.Advance(Tick);
        reporter.Update(1, 1, capacity, TimeSpan.FromSeconds(3));
        reporter.Complete();

        Assert.Equal(new[] { "0 submitted, 0 running, 2 queued", "1 submitted, 0 running, 1 queued", "completed: Done" }, Statuses(sink));
        Assert.Equal("held back 3 s more by the API's rate limit", sink.Progress[1].CurrentOperation);
    }

    [Fact]
    public void The_save_bar_holds_updates_within_the_interval_unless_forced()
    {
        var clock = new ManualClock();
        var sink = new RecordingSink();
        var reporter = new SaveProgressReporter(sink, 1, Every, clock);
        var none = Array.Empty<DownloadProgress>();

        clock.Advance(TimeSpan.FromSeconds(1));
        reporter.Update(2, 0, none, 0, 0);
        clock.Advance(Just);
        reporter.Update(2, 1, none, 1024, 1024);
        reporter.Update(2, 1, none, 2048, 2048, force: true);
        clock.Advance(Just);
        reporter.Update(2, 2, none, 4096, 4096);
        clock.Advance(Tick);
        reporter.Update(2, 2, none, 4096, 4096);
        reporter.Complete();

        // The rate is counted on the same clock: 4 KiB in 1.5 s since the reporter began.
        Assert.Equal(new[] { "0 of 2 files, 0 B, 0 B/s", "1 of 2 files, 2.0 KiB, 1.6 KiB/s", "2 of 2 files, 4.0 KiB, 2.7 KiB/s", "completed: Done" }, Statuses(sink));
    }

    [Fact]
    public void A_files_bar_shows_its_rate_since_its_download_began_on_the_same_clock()
    {
        var clock = new ManualClock();
        var sink = new RecordingSink();
        var reporter = new SaveProgressReporter(sink, 1, Every, clock);
        var file = new DownloadProgress("t1.mp4");
        file.SetTotal(8 * 1024 * 1024);
        clock.Advance(TimeSpan.FromSeconds(10));
        file.Begin(clock.Elapsed);
        file.Add(3 * 1024 * 1024);
        clock.Advance(TimeSpan.FromSeconds(2));

        reporter.Update(1, 0, new[] { file }, 0, 0);

        var child = Assert.Single(sink.Progress, p => p.ParentActivityId == 1);
        Assert.Equal(("t1.mp4", "3.0 MiB of 8.0 MiB, 1.5 MiB/s", 37), (child.Activity, child.StatusDescription, child.PercentComplete));
    }
}
