using System.Diagnostics;
using System.Management.Automation;
using ZAi.PowerShell.Pipeline;
using Xunit;

namespace ZAi.PowerShell.Tests.Engine;

/// <summary>
/// The engine behind every async cmdlet, driven with a fake sink: the test thread plays the cmdlet's thread,
/// gated item functions decide when each item finishes.
/// </summary>
public class ItemEngineTests
{
    private static (ItemEngine<int, int> Engine, RecordingSink Sink, WriteQueue Queue) Create(
        GatedWork work, OutputOrder order, int throttle = int.MaxValue, CancellationToken stop = default)
    {
        var sink = new RecordingSink();
        var queue = new WriteQueue();
        var engine = new ItemEngine<int, int>(sink, queue, stop, work.RunAsync, (item, result) => sink.WriteObject(result), order, throttle);
        return (engine, sink, queue);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AtMostThrottleLimitItemsRunAtOnce(int throttle)
    {
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Completion, throttle);
        for (var i = 0; i < 10; i++) engine.Add(i);

        // Release items one at a time, each only after the slot it frees could have been taken by the next item.
        var releaser = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await work.WhenStarted(Math.Min(i + throttle, 10));
                work.Release(work.Started[i]);
            }
        });
        engine.Complete();
        releaser.Wait(GatedWork.Guard);

        Assert.Equal(throttle, work.MaxInFlight);
        Assert.Equal(10, work.Calls);
        Assert.Equal(10, sink.Outputs.Count);
    }

    [Fact]
    public void ItemsTakeFreeSlotsInTheOrderAddedWhateverOrderTheirWorkRunsIn()
    {
        // The work handed to the thread pool is held here and run the latest first, as a busy pool may run it.
        var work = new GatedWork();
        var sink = new RecordingSink();
        var handed = new List<Func<Task>>();
        var engine = new ItemEngine<int, int>(sink, new WriteQueue(), default, work.RunAsync, (item, result) => sink.WriteObject(result),
            OutputOrder.Input, throttleLimit: 2, start: run => { lock (handed) handed.Add(run); });
        void RunHandedLatestFirst()
        {
            List<Func<Task>> runs;
            lock (handed)
            {
                runs = Enumerable.Reverse(handed).ToList();
                handed.Clear();
            }
            foreach (var run in runs) _ = run();
        }

        for (var i = 0; i < 6; i++) engine.Add(i);
        RunHandedLatestFirst();

        // Only the first two were let in, whatever order their work ran in.
        Assert.Equal(new[] { 1, 0 }, work.Started);
        for (var next = 2; next < 6; next++)
        {
            // Each freed slot goes to the item that has waited longest.
            work.Release(next - 2);
            Assert.True(SpinWait.SpinUntil(() => { lock (handed) return handed.Count > 0; }, GatedWork.Guard), $"no work was handed on after item {next - 2} ended");
            RunHandedLatestFirst();
            Assert.Equal(next, work.Started[^1]);
        }
        work.Release(4);
        work.Release(5);
        engine.Complete();

        Assert.Equal(new object[] { 0, 10, 20, 30, 40, 50 }, sink.Outputs);
    }

    [Fact]
    public void WorkStartsWhenTheItemIsAddedNotWhenTheInputEnds()
    {
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Completion);

        engine.Add(7);

        work.WhenStarted(1).Wait(GatedWork.Guard);
        Assert.Equal(new[] { 7 }, work.Started);
        work.Release(7);
        engine.Complete();
        Assert.Equal(new object?[] { 70 }, sink.Outputs);
    }

    [Fact]
    public void EveryWriteHappensOnTheCallingThread()
    {
        var work = new GatedWork();
        var sink = new RecordingSink();
        var queue = new WriteQueue();
        var log = new QueuedLog(queue, sink);
        var engine = new ItemEngine<int, int>(sink, queue, default,
            async (item, stop) =>
            {
                log.Verbose($"working on {item}");
                return await work.RunAsync(item, stop);
            },
            (item, result) => sink.WriteObject(result), OutputOrder.Completion);
        engine.Tick = () => sink.WriteProgress(new ProgressRecord(1, "a", "b"));
        for (var i = 0; i < 20; i++) engine.Add(i);
        var releaser = Task.Run(async () =>
        {
            await work.WhenStarted(20);
            for (var i = 0; i < 20; i++)
            {
                if (i % 5 == 0) work.Fail(i, new InvalidOperationException("boom"));
                else work.Release(i);
            }
        });

        engine.Complete();
        releaser.Wait(GatedWork.Guard);

        Assert.Equal(16, sink.Outputs.Count);
        Assert.Equal(4, sink.Errors.Count);
        Assert.Equal(20, sink.Verbose.Count);
        Assert.All(sink.Threads, thread => Assert.Equal(Environment.CurrentManagedThreadId, thread));
    }

    [Fact]
    public void InputOrderWritesResultsInTheOrderTheInputCame()
    {
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Input);
        for (var i = 0; i < 3; i++) engine.Add(i);
        var releaser = Task.Run(async () =>
        {
            await work.WhenStarted(3);
            work.Release(2);
            work.Release(1);
            work.Release(0);
        });

        engine.Complete();
        releaser.Wait(GatedWork.Guard);

        Assert.Equal(new object?[] { 0, 10, 20 }, sink.Outputs);
    }

    [Fact]
    public void CompletionOrderWritesEachResultAsSoonAsItIsReady()
    {
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Completion);
        for (var i = 0; i < 3; i++) engine.Add(i);
        var releaser = Task.Run(async () =>
        {
            await work.WhenStarted(3);
            work.Release(2);
            await sink.WhenOutputs(1).WaitAsync(GatedWork.Guard);
            work.Release(1);
            await sink.WhenOutputs(2).WaitAsync(GatedWork.Guard);
            work.Release(0);
        });

        engine.Complete();
        releaser.Wait(GatedWork.Guard);

        Assert.Equal(new object?[] { 20, 10, 0 }, sink.Outputs);
    }

    [Fact]
    public void InputOrderHoldsALaterResultUntilTheEarlierOneIsWritten()
    {
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Input);
        engine.Add(0);
        engine.Add(1);
        work.WhenStarted(2).Wait(GatedWork.Guard);
        work.Release(1);
        // Item 1 is done but item 0 is not: a pump (the next ProcessRecord) must not write item 1 yet.
        SpinWait.SpinUntil(() => engine.Running == 1, GatedWork.Guard);
        engine.Pump();
        Assert.Empty(sink.Outputs);

        work.Release(0);
        engine.Complete();
        Assert.Equal(new object?[] { 0, 10 }, sink.Outputs);
    }

    [Fact]
    public void AnExceptionInOneItemIsThatItemsErrorAndTheOthersGoOn()
    {
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Input);
        for (var i = 0; i < 3; i++) engine.Add(i);
        var releaser = Task.Run(async () =>
        {
            await work.WhenStarted(3);
            work.Release(0);
            work.Fail(1, new InvalidOperationException("item one broke"));
            work.Release(2);
        });

        engine.Complete();
        releaser.Wait(GatedWork.Guard);

        Assert.Equal(new object?[] { 0, 20 }, sink.Outputs);
        var error = Assert.Single(sink.Errors);
        Assert.Equal("ZAiUnexpectedError", error.FullyQualifiedErrorId);
        Assert.Equal(1, error.TargetObject);
        Assert.Equal("item one broke", error.Exception.Message);
    }

    [Fact]
    public void AnApiErrorGetsItsErrorIdFromTheTable()
    {
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Completion);
        engine.Add(4);
        work.WhenStarted(1).Wait(GatedWork.Guard);
        work.Fail(4, new ZAiApiException(ZAiErrorReason.NotFound, "no such task", statusCode: 404));

        engine.Complete();

        var error = Assert.Single(sink.Errors);
        Assert.Equal("ZAiTaskNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(4, error.TargetObject);
    }

    [Fact]
    public void AStopReturnsWithin200MsAndNoItemFunctionStartsAfterIt()
    {
        var work = new GatedWork { IgnoreCancellation = true };
        using var stop = new CancellationTokenSource();
        var (engine, sink, _) = Create(work, OutputOrder.Completion, throttle: 1, stop: stop.Token);
        for (var i = 0; i < 5; i++) engine.Add(i);
        var watch = new Stopwatch();
        var stopper = Task.Run(async () =>
        {
            await work.WhenStarted(1);
            watch.Start();
            stop.Cancel();
        });

        // The cmdlet's thread is a thread of its own here, so a stop that is not honoured fails instead of hanging.
        Exception? thrown = null;
        var cmdletThread = new Thread(() => thrown = Record.Exception(engine.Complete));
        cmdletThread.Start();
        Assert.True(cmdletThread.Join(GatedWork.Guard), "Complete did not return after the stop.");
        watch.Stop();
        stopper.Wait(GatedWork.Guard);

        Assert.IsType<PipelineStoppedException>(thrown);
        Assert.True(watch.ElapsedMilliseconds < 200, $"The stop took {watch.ElapsedMilliseconds} ms.");
        // The running item ignores the token; once it returns, the queued items must still not start.
        work.Release(0);
        engine.Drained().Wait(GatedWork.Guard);
        Assert.Equal(1, work.Calls);
        Assert.Empty(sink.Outputs);
        Assert.Empty(sink.Errors);
    }

    [Fact]
    public void AStopEndsTheItemsWaitingForASlotAtOnceThoughTheRunningOneHasNotReturned()
    {
        var work = new GatedWork { IgnoreCancellation = true };
        using var stop = new CancellationTokenSource();
        var (engine, _, _) = Create(work, OutputOrder.Input, throttle: 1, stop: stop.Token);
        for (var i = 0; i < 5; i++) engine.Add(i);
        work.WhenStarted(1).Wait(GatedWork.Guard);
        Assert.Equal(4, engine.Queued);

        stop.Cancel();

        Assert.Equal(0, engine.Queued);
        Assert.False(engine.Drained().IsCompleted);   // item 0 ignores the token and still runs
        work.Release(0);
        engine.Drained().Wait(GatedWork.Guard);
        Assert.Equal(new[] { 0 }, work.Started);
    }

    [Fact]
    public void AddAfterAStopIsRefused()
    {
        using var stop = new CancellationTokenSource();
        var work = new GatedWork();
        var (engine, _, _) = Create(work, OutputOrder.Input, stop: stop.Token);
        stop.Cancel();

        Assert.Throws<PipelineStoppedException>(() => engine.Add(1));
        Assert.Equal(0, work.Calls);
    }

    [Fact]
    public void CompleteWithNothingAddedReturnsAtOnce()
    {
        var (engine, sink, _) = Create(new GatedWork(), OutputOrder.Completion);

        engine.Complete();

        Assert.Empty(sink.Threads);
    }

    [Fact]
    public void DrainedCompletesOnlyWhenEveryItemFunctionHasReturned()
    {
        var work = new GatedWork();
        var (engine, _, _) = Create(work, OutputOrder.Completion);
        engine.Add(1);
        engine.Add(2);
        work.WhenStarted(2).Wait(GatedWork.Guard);

        var drained = engine.Drained();
        work.Release(1);
        Assert.False(drained.IsCompleted);
        work.Release(2);

        Assert.True(drained.Wait(GatedWork.Guard), "Drained did not complete after both items returned.");
        Assert.True(engine.Drained().IsCompleted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFullThrottledEngineWritesResultsUntilOneIsWrittenBeforeTakingAnotherItem(bool inInputOrder)
    {
        var work = new GatedWork();
        var (engine, sink, queue) = Create(work, inInputOrder ? OutputOrder.Input : OutputOrder.Completion, throttle: 1);
        engine.MaxOutstanding = 2;
        engine.Add(0);
        // Item 0 holds the one slot before item 1 is added: otherwise item 1 may take it first and never be released.
        work.WhenStarted(1).Wait(GatedWork.Guard);
        engine.Add(1);
        // Runs only when the cmdlet's thread runs queued work: inside the next Add, if that Add waits for room.
        var ranInsideAdd = false;
        queue.Post(() =>
        {
            ranInsideAdd = true;
            work.Release(0);
        });

        engine.Add(2);

        Assert.True(ranInsideAdd);
        Assert.Equal(new object?[] { 0 }, sink.Outputs);
        Assert.Equal(2, engine.Outstanding);
        work.Release(1);
        work.Release(2);
        engine.Complete();
        Assert.Equal(new object?[] { 0, 10, 20 }, sink.Outputs);
        Assert.Equal(3, work.Calls);
    }

    [Fact]
    public void AStopWhileAddWaitsForRoomEndsTheAddAndTheItemNeverStarts()
    {
        using var stop = new CancellationTokenSource();
        var work = new GatedWork();
        var (engine, _, queue) = Create(work, OutputOrder.Completion, throttle: 1, stop: stop.Token);
        engine.MaxOutstanding = 1;
        engine.Add(0);
        work.WhenStarted(1).Wait(GatedWork.Guard);
        queue.Post(stop.Cancel);

        Assert.Throws<PipelineStoppedException>(() => engine.Add(1));
        engine.Drained().Wait(GatedWork.Guard);
        Assert.Equal(new[] { 0 }, work.Started);
    }

    [Fact]
    public void AnUnthrottledEngineTakesEveryItemAtOnce()
    {
        // Wait polls every task it is given at once: its engine has no throttle, and so no bound on what it holds.
        var work = new GatedWork();
        var (engine, sink, _) = Create(work, OutputOrder.Completion);
        var count = ItemEngine<int, int>.ReadAhead * 2;

        var adding = Task.Run(() => { for (var i = 0; i < count; i++) engine.Add(i); });

        Assert.True(adding.Wait(GatedWork.Guard), "Adding to an unthrottled engine waited for results.");
        work.WhenStarted(count).Wait(GatedWork.Guard);
        Assert.Equal(count, engine.Outstanding);
        for (var i = 0; i < count; i++) work.Release(i);
        engine.Complete();
        Assert.Equal(count, sink.Outputs.Count);
    }

    [Theory]
    [InlineData(1, 256)]
    [InlineData(64, 256)]
    [InlineData(100, 400)]
    [InlineData(int.MaxValue - 1, int.MaxValue)]
    public void AThrottledEngineHoldsItsReadAheadOrFourTimesItsSlots(int throttle, int expected)
    {
        var (engine, _, _) = Create(new GatedWork(), OutputOrder.Input, throttle);

        Assert.Equal(expected, engine.MaxOutstanding);
    }
}
