using System;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;
using ZAi.PowerShell.Waiting;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// One progress bar for a wait, written at most every <c>every</c> and always completed at the end. Writes
    /// nothing when $ProgressPreference is SilentlyContinue.
    /// </summary>
    internal sealed class WaitProgressReporter
    {
        private readonly IPipelineSink _sink;
        private readonly int _activityId;
        private readonly Pacer _pacer;
        private readonly bool _enabled;
        private bool _written;

        public WaitProgressReporter(IPipelineSink sink, int activityId, TimeSpan every, IClock? clock = null)
        {
            _sink = sink;
            _activityId = activityId;
            _pacer = new Pacer(clock ?? SystemClock.Instance, every);
            _enabled = sink.ProgressEnabled;
        }

        /// <summary>False while the pipeline may still bring tasks: the total is then the tasks received so far.</summary>
        public bool InputComplete { get; set; }

        public void Update(WaitProgress progress)
        {
            if (!_enabled || !_pacer.TryPass()) return;
            var status = $"{progress.Done} of {progress.Total}{(InputComplete ? string.Empty : " so far")} done: {progress.Succeeded} succeeded, {progress.Failed} failed"
                + (progress.Errors > 0 ? $", {progress.Errors} errors" : string.Empty)
                + (progress.TimedOut > 0 ? $", {progress.TimedOut} timed out" : string.Empty)
                + $", {progress.Running} running; {WaitObserver.Clock(progress.Elapsed)} elapsed";
            var record = new ProgressRecord(_activityId, "Waiting for Z.AI tasks", status)
            {
                PercentComplete = progress.Total == 0 ? 100 : Math.Min(100, progress.Done * 100 / progress.Total),
                CurrentOperation = progress.OldestRunningId is null
                    ? null
                    : $"Oldest running: {TaskIdPath.Shown(progress.OldestRunningId)} ({progress.OldestRunningStatus ?? "not read yet"})",
            };
            _sink.WriteProgress(record);
            _written = true;
        }

        public void Complete()
        {
            if (!_enabled || !_written) return;
            try
            {
                _sink.WriteProgress(new ProgressRecord(_activityId, "Waiting for Z.AI tasks", "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C: PowerShell no longer accepts writes; the host clears the bar itself.
            }
        }
    }
}
