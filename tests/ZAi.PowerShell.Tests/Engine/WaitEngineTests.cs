using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Tests.TaskKinds;
using ZAi.PowerShell.Waiting;
using ZAi.Emulator;
using Xunit;

namespace ZAi.PowerShell.Tests.Engine;

/// <summary>
/// Wait-ZAiAsyncResult's engine without a runspace, over real HTTP to the emulator and a real journal: what is polled,
/// what the journal records before a result goes on, what is said, and that only the test's thread is written to.
/// </summary>
public sealed class WaitEngineTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly EmulatorFixture _fixture;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-waitengine-" + Guid.NewGuid().ToString("N"));
    private readonly ThreadCheckingSink _sink = new();
    private readonly WriteQueue _queue = new();
    private int _connections;

    public WaitEngineTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        _queue.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private WaitEngine Engine() => new(
        new WaitOptions(),
        _sink,
        _queue,
        CancellationToken.None,
        onFailure => { _connections++; return new ApiRequestSender(_fixture.Settings(), new CollectingLog(), onFailure); },
        path => Path.Combine(_folder, path),
        record => throw new TerminatingError(record),
        inputComplete: true,
        new ManualClock(Now));

    private int Polls(string id) => _fixture.Server.GetRequests(taskId: id).Count;

    [Fact]
    public void EachTaskIsPolledOnceItsEndRecordedAndASavedOneGoesOnWithoutARequest()
    {
        var ok = EmulatorFixture.NewId("wait-ok");
        var failed = EmulatorFixture.NewId("wait-fail");
        var saved = EmulatorFixture.NewId("wait-saved");
        _fixture.Server.AddTasks(new TaskSpec { Id = ok }, new TaskSpec { Id = failed, Outcome = "FAIL" }, new TaskSpec { Id = saved });
        var file = Path.Combine(_folder, "saved.mp4");
        File.WriteAllBytes(file, new byte[7]);
        using (var writer = JournalFile.OpenForWriting(Path.Combine(_folder, "run.jsonl")))
        {
            foreach (var (id, prompt) in new[] { (ok, "a fox"), (failed, "a cat"), (saved, "an owl") })
            {
                var intent = JournalRecord.Submit(GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt }), 1, Now);
                writer.Append(intent);
                writer.Append(JournalRecord.Accepted(intent, id, Now));
            }
            writer.Append(JournalRecord.Finished(saved, true, null, Now.AddDays(1), Now, mediaFiles: 1));
            writer.Append(JournalRecord.Saved(saved, file, 7, "Video", 0, Now));
        }
        var engine = Engine();

        engine.Add(ok, "a fox, as bound", "run.jsonl", null);
        engine.Add(ok, null, "run.jsonl", null);
        engine.Add(failed, null, "run.jsonl", null);
        engine.Add(saved, null, "run.jsonl", null);
        engine.Complete();
        engine.Dispose();

        Assert.Equal(1, _connections);
        Assert.Equal(1, Polls(ok));
        Assert.Equal(1, Polls(failed));
        Assert.Equal(0, Polls(saved));
        var outputs = _sink.Outputs.Cast<PSObject>().ToDictionary(o => ((AsyncResult)o.BaseObject).Id);
        Assert.Equal(new[] { ok, saved }.OrderBy(i => i), outputs.Keys.OrderBy(i => i));
        Assert.Equal("a fox, as bound", outputs[ok].Properties["Prompt"].Value);
        Assert.Equal("an owl", outputs[saved].Properties["Prompt"].Value);
        Assert.Equal(Now, ((AsyncResult)outputs[saved].BaseObject).RetrievedAt); // the engine's clock, as for a fetched result
        Assert.Equal(new[]
        {
            "Waiting for tasks as they arrive: first interval 5 s, at most 30 s, limit 1800 s per task, 10 requests in flight at most.",
            $"Task '{ok}' is already in the list; it is polled once.",
            $"Task '{saved}': the journal records its files as saved; not polled, so its result goes on without links (Save-ZAiMedia fetches them once if it needs them).",
        }, _sink.Verbose.Take(3));
        Assert.Equal("Wait ended after 0:00: 1 succeeded, 1 failed, 0 errors, 0 timed out, 0 not finished.", _sink.Verbose.Last());
        var warning = Assert.Single(_sink.Warnings);
        Assert.StartsWith("Prompt 'a cat': ", warning);
        Assert.EndsWith(" The journal records it; the run reports it at its end.", warning);
        // The journal's batch ended with a failure: this command, its last user, says so once.
        Assert.Equal("ZAiBatchIncomplete", Assert.Single(_sink.Errors).FullyQualifiedErrorId);
        using var read = JournalFile.ReadOnly(Path.Combine(_folder, "run.jsonl"));
        Assert.Equal(LedgerState.Succeeded, read.FindTask(ok)!.State);
        Assert.Equal(LedgerState.Failed, read.FindTask(failed)!.State);
        Assert.Equal(LedgerState.Saved, read.FindTask(saved)!.State);
        _sink.AssertOneThread();
    }

    [Fact]
    public void WithoutATaskNothingConnectsAndNothingIsSaid()
    {
        var engine = Engine();

        engine.Complete();
        engine.Dispose();

        Assert.Equal(0, _connections);
        Assert.Empty(_sink.Verbose);
        Assert.Empty(_sink.Outputs);
    }

    [Fact]
    public void AFailedTaskWithoutAJournalIsItsErrorNamingItsPrompt()
    {
        var failed = EmulatorFixture.NewId("wait-fail");
        _fixture.Server.AddTasks(new TaskSpec { Id = failed, Outcome = "FAIL" });
        var engine = Engine();

        engine.Add(failed, "a cat", null, null);
        engine.Complete();
        engine.Dispose();

        var error = Assert.Single(_sink.Errors);
        Assert.Equal("ZAiTaskFailed", error.FullyQualifiedErrorId);
        Assert.StartsWith("Prompt 'a cat': ", error.ErrorDetails.Message);
        Assert.Empty(_sink.Warnings);
        Assert.Empty(_sink.Outputs);
        _sink.AssertOneThread();
    }
}
