using System.Management.Automation;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Tests.Engine;

/// <summary>
/// A fake sink: records every call with the thread it came on, answers ShouldProcess as told, and lets a test
/// await a number of outputs (signalled from the writing thread, so the test can act between two writes).
/// </summary>
internal sealed class RecordingSink : IPipelineSink
{
    private readonly object _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _outputWaiters = new();

    public List<object?> Outputs { get; } = new();

    public List<ErrorRecord> Errors { get; } = new();

    public List<string> Verbose { get; } = new();

    public List<string> Warnings { get; } = new();

    public List<ProgressRecord> Progress { get; } = new();

    public List<string> ShouldProcessCalls { get; } = new();

    /// <summary>The managed thread id of every call, in order.</summary>
    public List<int> Threads { get; } = new();

    public bool ProgressEnabled { get; set; } = true;

    public bool Approve { get; set; } = true;

    /// <summary>Runs on the writing thread after each output is recorded.</summary>
    public Action<object?>? OnOutput { get; set; }

    public void WriteObject(object? output)
    {
        lock (_lock)
        {
            Record();
            Outputs.Add(output);
            foreach (var waiter in _outputWaiters.Where(w => Outputs.Count >= w.Count).ToList())
            {
                _outputWaiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
        OnOutput?.Invoke(output);
    }

    public void WriteError(ErrorRecord error) { lock (_lock) { Record(); Errors.Add(error); } }

    public void WriteWarning(string message) { lock (_lock) { Record(); Warnings.Add(message); } }

    public void WriteVerbose(string message) { lock (_lock) { Record(); Verbose.Add(message); } }

    public void WriteDebug(string message) { lock (_lock) Record(); }

    public void WriteProgress(ProgressRecord progress) { lock (_lock) { Record(); Progress.Add(progress); } }

    public bool ShouldProcess(string target, string action)
    {
        lock (_lock) { Record(); ShouldProcessCalls.Add($"{action}: {target}"); }
        return Approve;
    }

    public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) => ShouldProcess(verboseDescription, caption);

    /// <summary>Completes once <paramref name="count"/> outputs were written.</summary>
    public Task WhenOutputs(int count)
    {
        lock (_lock)
        {
            if (Outputs.Count >= count) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _outputWaiters.Add((count, reached));
            return reached.Task;
        }
    }

    private void Record() => Threads.Add(Environment.CurrentManagedThreadId);
}
