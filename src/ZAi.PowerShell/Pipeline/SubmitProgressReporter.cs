using System;
using System.Diagnostics;
using System.Management.Automation;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// The progress bar of a submitting command, shown once requests queue for room on the account: how many
    /// were submitted, how many of the session's tasks run, how many wait. Written at most every <c>every</c>.
    /// </summary>
    internal sealed class SubmitProgressReporter
    {
        private const string Activity = "Submitting Z.AI tasks";
        private readonly IPipelineSink _sink;
        private readonly int _activityId;
        private readonly TimeSpan _every;
        private readonly Stopwatch _sinceLast = new Stopwatch();
        private bool _written;

        public SubmitProgressReporter(IPipelineSink sink, int activityId, TimeSpan every)
        {
            _sink = sink;
            _activityId = activityId;
            _every = every;
        }

        /// <param name="submitted">Requests accepted by this command.</param>
        /// <param name="waiting">Requests of this command not sent yet.</param>
        public void Update(int submitted, int waiting, SubmissionCapacity? capacity)
        {
            if (!_sink.ProgressEnabled || capacity is null) return;
            var queued = capacity.Waiting;
            if (!_written && queued == 0) return;
            if (_written && _sinceLast.Elapsed < _every) return;
            var limit = capacity.Limit.HasValue ? $"; the account allows about {capacity.Limit.Value} in flight" : string.Empty;
            var total = submitted + waiting;
            _sink.WriteProgress(new ProgressRecord(_activityId, Activity, $"{submitted} submitted, {capacity.Running} running, {waiting} queued{limit}")
            {
                PercentComplete = total == 0 ? 0 : Math.Min(100, submitted * 100 / total),
                CurrentOperation = queued > 0 ? $"{queued} waiting for a running task to finish" : null,
            });
            _written = true;
            _sinceLast.Restart();
        }

        public void Complete()
        {
            if (!_written) return;
            try
            {
                _sink.WriteProgress(new ProgressRecord(_activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException)
            {
            }
        }
    }
}
