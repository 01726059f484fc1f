using System.Management.Automation;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>The engine's sink over a real cmdlet.</summary>
    internal sealed class CmdletSink : IPipelineSink
    {
        private readonly PSCmdlet _cmdlet;
        private readonly System.Action? _downstreamStopped;

        public CmdletSink(PSCmdlet cmdlet, System.Action? downstreamStopped = null)
        {
            _cmdlet = cmdlet;
            _downstreamStopped = downstreamStopped;
            ProgressEnabled = ProgressPreferenceCheck.IsEnabled(cmdlet);
        }

        public bool ProgressEnabled { get; }

        public void WriteObject(object? output)
        {
            try
            {
                _cmdlet.WriteObject(output);
            }
            catch (PipelineStoppedException)
            {
                // Also Select-Object -First's StopUpstreamCommandsException, which derives from it.
                _downstreamStopped?.Invoke();
                throw;
            }
        }

        public void WriteError(ErrorRecord error) => _cmdlet.WriteError(error);

        public void WriteWarning(string message) => _cmdlet.WriteWarning(message);

        public void WriteVerbose(string message) => _cmdlet.WriteVerbose(message);

        public void WriteDebug(string message) => _cmdlet.WriteDebug(message);

        public void WriteProgress(ProgressRecord progress) => _cmdlet.WriteProgress(progress);

        public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);

        public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) =>
            _cmdlet.ShouldProcess(verboseDescription, verboseWarning, caption);
    }
}
