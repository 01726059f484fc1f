using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Timing;

/// <summary>A media download retried on the injected clock: real HTTP to the emulator's media host, the waits in virtual time.</summary>
public sealed class DownloadRetryScheduleTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string Video = "video_0.mp4";
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);
    private readonly EmulatorServer _server;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-retry-schedule-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private readonly CollectingLog _log = new();

    public DownloadRetryScheduleTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private (MediaItem Item, string Id) Task(params FaultSpec[] faults)
    {
        var spec = new TaskSpec { Id = EmulatorFixture.NewId("schedule"), MediaSize = 100_000, MediaFaults = new() { [Video] = faults.ToList() } };
        _server.AddTasks(spec);
        return (new MediaItem(spec.Id, MediaKind.Video, 0, new Uri(_server.RootUrl, "media/" + spec.Id + "/" + Video).ToString(), null), spec.Id);
    }

    private Task<string> Download(MediaItem item, int maxRetries = 3) =>
        new FileDownloader(MediaHttpClient.Instance, new RetryPolicy(maxRetries), TimeSpan.FromSeconds(10), _log, clock: _clock)
            .DownloadAsync(item, _folder, new DownloadProgress(item.BaseName), CancellationToken.None);

    private int Requests(string id) => _server.GetTask(id)!.MediaRequestCount;

    private string[] RetryLines() => _log.VerboseMessages.Where(m => m.Contains("(retry ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task A_failing_host_is_asked_again_after_the_backoff_and_not_before()
    {
        var (item, id) = Task(new FaultSpec { Type = "status", Status = 503 }, new FaultSpec { Type = "status", Status = 503 });
        var download = Download(item);

        await BackoffAssert.StepThrough(_clock, 2, () => Requests(id));

        Assert.Equal(Path.Combine(_folder, id + ".mp4"), await download.WaitAsync(Prompt));
        Assert.Equal(3, Requests(id));
        BackoffAssert.Backoffs(2, _clock.Requested);
        var lines = RetryLines();
        Assert.Equal(2, lines.Length);
        Assert.Matches(@" Resuming from byte 0 in 0\.[45] s \(retry 1 of 3\)\.$", lines[0]);
        Assert.Matches(@" Resuming from byte 0 in (0\.8|0\.9|1\.0) s \(retry 2 of 3\)\.$", lines[1]);
    }

    [Fact]
    public async Task A_retry_after_from_the_media_host_is_the_wait_and_the_budget_ends_the_retries()
    {
        var fault = new FaultSpec { Type = "status", Status = 503, RetryAfter = "3" };
        var (item, id) = Task(fault, fault, fault);
        var download = Download(item, maxRetries: 1);

        await _clock.WhenPending(1);
        _clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(1, Requests(id));
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => download.WaitAsync(Prompt));
        Assert.Equal(MediaErrorReason.DownloadFailed, error.Reason);
        Assert.EndsWith("Gave up after 2 attempts.", error.Message);
        Assert.Equal(new[] { TimeSpan.FromSeconds(3) }, _clock.Requested);
        Assert.Equal(2, Requests(id));
        Assert.EndsWith("Resuming from byte 0 in 3.0 s (retry 1 of 1).", Assert.Single(RetryLines()));
    }
}
