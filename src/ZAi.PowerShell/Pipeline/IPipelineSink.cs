using System.Management.Automation;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// What the engine needs from PowerShell: the output streams and ShouldProcess. Every call happens on the
    /// cmdlet's own thread. <see cref="CmdletSink"/> forwards to a cmdlet; tests use a recording fake.
    /// </summary>
    internal interface IPipelineSink
    {
        void WriteObject(object? output);

        void WriteError(ErrorRecord error);

        void WriteWarning(string message);

        void WriteVerbose(string message);

        void WriteDebug(string message);

        void WriteProgress(ProgressRecord progress);

        /// <summary>False when $ProgressPreference is SilentlyContinue or Ignore: no progress record is built at all.</summary>
        bool ProgressEnabled { get; }

        bool ShouldProcess(string target, string action);

        bool ShouldProcess(string verboseDescription, string verboseWarning, string caption);
    }
}
