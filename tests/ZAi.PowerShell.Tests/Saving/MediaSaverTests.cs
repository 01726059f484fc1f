using ZAi.Emulator;
using ZAi.PowerShell.Pipeline;
using Xunit;
using ZAi.PowerShell.Journal;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>
/// Save-ZAiMedia's engine decisions per file (skip, -NoClobber, -Force, -WhatIf, a refused link, the same file
/// twice, a downloaded file, an expired link with and without a journal), each run the way the cmdlet runs it,
/// through a sink that fails on any write from a thread other than the cmdlet's.
/// </summary>
public sealed class MediaSaverTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorServer _server;
    private readonly SaveHarness _h = new();

    public MediaSaverTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
    }

    public void Dispose() => _h.Dispose();

    private string Folder => Path.Combine(_h.Root, "out");

    private string Existing(string name, string text)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string AddVideoTask(long size, params FaultSpec[] faults) => Transfer.EmulatorVideo.Add(_server, "saver", size, faults);

    private string VideoUrl(string id) => Transfer.EmulatorVideo.Url(_server, id).ToString();

    private static string ErrorId(System.Management.Automation.ErrorRecord error) => error.FullyQualifiedErrorId.Split(',')[0];

    [Fact]
    public void AFileOfThisTasksNameIsSkippedAndOutputAsNotDownloadedWithoutBeingWritten()
    {
        var path = Existing("t1.png", "kept");

        var files = _h.Run(_h.Options("out"), SaveHarness.Image("t1", "cat", "new", null));

        _h.Sink.AssertOneThread();
        var file = Assert.Single(files);
        Assert.Equal(path, file.FullName);
        Assert.False(file.Downloaded);
        Assert.Equal("kept", File.ReadAllText(path));
        Assert.Empty(_h.Sink.Inner.ShouldProcessCalls); // nothing to confirm: nothing is written
        Assert.Contains(_h.Sink.Verbose, v => v.StartsWith("Skipped the image 0 of task 't1': '" + path + "' already exists (use -Force", StringComparison.Ordinal));
    }

    [Fact]
    public void NoClobberMakesAnExistingFileAnErrorNamingItAndLeavesItAlone()
    {
        var path = Existing("t1.png", "kept");
        var options = _h.Options("out");
        options.NoClobber = true;

        var files = _h.Run(options, SaveHarness.Image("t1", "cat", "new", null));

        _h.Sink.AssertOneThread();
        Assert.Empty(files);
        var error = Assert.Single(_h.Sink.Errors);
        Assert.Equal("ZAiMediaFileExists", ErrorId(error));
        Assert.Equal(path, error.TargetObject);
        Assert.Equal("kept", File.ReadAllText(path));
    }

    [Fact]
    public void ForceWritesTheFileAgainAfterConfirmingIt()
    {
        var path = Existing("t1.png", "old");

        var files = _h.Run(_h.Options("out", force: true), SaveHarness.Image("t1", "cat", "new", null));

        _h.Sink.AssertOneThread();
        Assert.True(Assert.Single(files).Downloaded);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(new[] { $"Save inline Image: {path}" }, _h.Sink.Inner.ShouldProcessCalls);
    }

    [Fact]
    public void WhatIfAsksForEachFileAndWritesNothing()
    {
        _h.Approve = false;

        var files = _h.Run(_h.Options("out"), SaveHarness.Image("t1", "cat", "one", null), SaveHarness.Image("t2", "dog", "two", null));

        _h.Sink.AssertOneThread();
        Assert.Empty(files);
        Assert.Empty(_h.Sink.Errors);
        Assert.Equal(new[] { $"Save inline Image: {Path.Combine(Folder, "t1.png")}", $"Save inline Image: {Path.Combine(Folder, "t2.png")}" }, _h.Sink.Inner.ShouldProcessCalls);
        Assert.False(Directory.Exists(Folder) && Directory.EnumerateFileSystemEntries(Folder).Any());
    }

    [Fact]
    public void TheSameFileTwiceInOneRunIsSavedOnce()
    {
        var files = _h.Run(_h.Options("out"), SaveHarness.Image("t1", "cat", "one", null), SaveHarness.Image("t1", "cat", "one", null));

        _h.Sink.AssertOneThread();
        Assert.Equal(Path.Combine(Folder, "t1.png"), Assert.Single(files).FullName);
        Assert.Single(_h.Sink.Inner.ShouldProcessCalls);
    }

    [Fact]
    public void ALinkThatIsNotHttpIsAnErrorBeforeAnyRequestAndTheOtherFilesAreSaved()
    {
        var files = _h.Run(_h.Options("out"), SaveHarness.Video("t1", "file:///etc/passwd"), SaveHarness.Image("t2", "dog", "two", null));

        _h.Sink.AssertOneThread();
        var error = Assert.Single(_h.Sink.Errors);
        Assert.Equal("ZAiInvalidMediaUrl", ErrorId(error));
        Assert.Equal("file:///etc/passwd", error.TargetObject);
        Assert.Equal("t2", Assert.Single(files).TaskId);
        Assert.DoesNotContain(_h.Sink.Inner.ShouldProcessCalls, c => c.Contains("t1", StringComparison.Ordinal));
    }

    [Fact]
    public void DownloadedFilesAreWrittenToThePipelineOnTheCmdletsThreadAsEachCompletes()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => AddVideoTask(200_000)).ToList();

        var files = _h.Run(_h.Options("out"), ids.Select(id => SaveHarness.Video(id, VideoUrl(id))).ToArray());

        _h.Sink.AssertOneThread();
        Assert.Empty(_h.Sink.Errors);
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), files.Select(f => f.TaskId).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(files, f => Assert.True(f.Downloaded));
        Assert.All(files, f => Assert.Equal(200_000, f.Length));
        Assert.All(files, f => Assert.Equal(VideoUrl(f.TaskId), f.SourceUrl));
        Assert.All(ids, id => Assert.Contains($"Download Video from 127.0.0.1: {Path.Combine(Folder, id + ".mp4")}", _h.Sink.Inner.ShouldProcessCalls));
        // No partial or side file is left beside them.
        Assert.Equal(ids.Select(id => id + ".mp4").OrderBy(n => n, StringComparer.Ordinal), Directory.GetFiles(Folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void AnExpiredLinkOfAJournaledTaskIsAWarningAndIsRecordedAsExpired()
    {
        var id = AddVideoTask(10_000, new FaultSpec { Type = "status", Status = 403 });
        var journal = _h.Journal((id, "cat"));

        var files = _h.Run(_h.Options("out"), SaveHarness.Video(id, VideoUrl(id), journal));

        _h.Sink.AssertOneThread();
        Assert.Empty(files);
        Assert.Empty(_h.Sink.Errors);
        Assert.EndsWith("The journal records the task as Expired; -RetryFailed submits it again.", Assert.Single(_h.Sink.Warnings));
        Assert.Equal(Journal.LedgerState.Expired, SaveHarness.Entries(journal).Single().State);
    }

    [Fact]
    public void AnExpiredLinkWithoutAJournalIsAnErrorOfItsOwn()
    {
        var id = AddVideoTask(10_000, new FaultSpec { Type = "status", Status = 403 });

        var files = _h.Run(_h.Options("out"), SaveHarness.Video(id, VideoUrl(id)));

        _h.Sink.AssertOneThread();
        Assert.Empty(files);
        Assert.Empty(_h.Sink.Warnings);
        Assert.Equal("ZAiMediaLinkExpired", ErrorId(Assert.Single(_h.Sink.Errors)));
    }

    [Fact]
    public void ALinkPastItsEstimatedExpiryByTheDownloadersClockIsSaidAndTriedAnyway()
    {
        // The harness's downloader runs on a ManualClock at 2026-12-01 12:00 UTC: one link expired an hour before, one
        // expires an hour after (already past by the real clock).
        System.Management.Automation.PSObject Expiring(string id, int hours)
        {
            var input = SaveHarness.Video(id, VideoUrl(id));
            input.Properties.Add(new System.Management.Automation.PSNoteProperty("ExpiresAt", new DateTime(2026, 12, 1, 12 + hours, 0, 0, DateTimeKind.Utc)));
            return input;
        }
        var expired = AddVideoTask(1_000);
        var live = AddVideoTask(1_000);

        var files = _h.Run(_h.Options("out"), Expiring(expired, -1), Expiring(live, +1));

        Assert.Equal(2, files.Count);
        var said = Assert.Single(_h.Sink.Verbose, v => v.Contains("is probably expired", StringComparison.Ordinal));
        Assert.StartsWith($"The link of the video 0 of task '{expired}' is probably expired", said);
        Assert.Contains("it expired about 60 minutes ago (2026-12-01 11:00", said);
    }

    [Fact]
    public void ARefusedLinkIsExplainedByTheDownloadersClock()
    {
        // The harness's clock is 2026-12-01 12:00 UTC: by it the link was still meant to work, so the task had
        // finished before this session saw it (by the real clock it would read as expired days ago).
        var id = AddVideoTask(10_000, new FaultSpec { Type = "status", Status = 403 });
        var input = SaveHarness.Video(id, VideoUrl(id));
        input.Properties.Add(new System.Management.Automation.PSNoteProperty("ExpiresAt", new DateTime(2026, 12, 1, 13, 0, 0, DateTimeKind.Utc)));

        _h.Run(_h.Options("out"), input);

        var error = Assert.Single(_h.Sink.Errors);
        Assert.Equal("ZAiMediaLinkExpired", ErrorId(error));
        Assert.Contains("It was estimated to work until 2026-12-01 13:00 UTC, counting 1 day from when this session first saw the task finished", error.Exception.Message);
    }
}
