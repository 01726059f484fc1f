using System.Management.Automation;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Tests.Engine;

/// <summary>
/// A <see cref="RecordingSink"/> that only the thread which made it may write to, as PowerShell allows only the
/// cmdlet's thread: a write from any other thread is recorded in <see cref="Foreign"/> and throws, so the code
/// under test fails there and the test fails at <see cref="AssertOneThread"/> even if the throw was swallowed.
/// </summary>
internal sealed class ThreadCheckingSink : IPipelineSink
{
    private readonly int _owner = Environment.CurrentManagedThreadId;
    private readonly List<string> _foreign = new();

    public RecordingSink Inner { get; } = new();

    public IReadOnlyList<string> Foreign { get { lock (_foreign) return _foreign.ToList(); } }

    public bool ProgressEnabled => Inner.ProgressEnabled;

    public List<object?> Outputs => Inner.Outputs;

    public List<ErrorRecord> Errors => Inner.Errors;

    public List<string> Warnings => Inner.Warnings;

    public List<string> Verbose => Inner.Verbose;

    public void AssertOneThread() => Xunit.Assert.Empty(Foreign);

    public void WriteObject(object? output) { Check(nameof(WriteObject), output); Inner.WriteObject(output); }

    public void WriteError(ErrorRecord error) { Check(nameof(WriteError), error); Inner.WriteError(error); }

    public void WriteWarning(string message) { Check(nameof(WriteWarning), message); Inner.WriteWarning(message); }

    public void WriteVerbose(string message) { Check(nameof(WriteVerbose), message); Inner.WriteVerbose(message); }

    public void WriteDebug(string message) { Check(nameof(WriteDebug), message); Inner.WriteDebug(message); }

    public void WriteProgress(ProgressRecord progress) { Check(nameof(WriteProgress), progress.Activity); Inner.WriteProgress(progress); }

    public bool ShouldProcess(string target, string action) { Check(nameof(ShouldProcess), target); return Inner.ShouldProcess(target, action); }

    public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) { Check(nameof(ShouldProcess), verboseDescription); return Inner.ShouldProcess(verboseDescription, verboseWarning, caption); }

    private void Check(string call, object? what)
    {
        if (Environment.CurrentManagedThreadId == _owner) return;
        lock (_foreign) _foreign.Add($"{call} from thread {Environment.CurrentManagedThreadId}: {what}");
        throw new InvalidOperationException($"{call} was called from thread {Environment.CurrentManagedThreadId}; only the cmdlet's thread ({_owner}) may write.");
    }
}
