using System;
using System.Management.Automation;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// The progress bar of a submitting command, shown once requests queue for room on the account or are held
    /// back by a rate limit: how many were submitted, how many of the session's tasks run, how many wait, and
    /// for how long a rate limit holds them. Written at most every <c>every</c>.
    /// </summary>
    internal sealed class SubmitProgressReporter
    {
        private const string Activity = "Submitting Z.AI tasks";
        private readonly IPipelineSink _sink;
        private readonly int _activityId;
        private readonly Pacer _pacer;
        private bool _written;

        public SubmitProgressReporter(IPipelineSink sink, int activityId, TimeSpan every, IClock? clock = null)
        {
            _sink = sink;
            _activityId = activityId;
            _pacer = new Pacer(clock ?? SystemClock.Instance, every);
        }

        /// <param name="submitted">Requests accepted by this command.</param>
        /// <param name="waiting">Requests of this command not sent yet.</param>
        /// <param name="heldFor">How long a rate limit (1303, 1305, Retry-After) still holds the batch back; zero or less when it does not.</param>
        public void Update(int submitted, int waiting, SubmissionCapacity? capacity, TimeSpan heldFor)
        {
            if (!_sink.ProgressEnabled || capacity is null) return;
            var queued = capacity.Waiting;
            var held = heldFor > TimeSpan.Zero;
            if (!_written && queued == 0 && !held) return;
            if (!_pacer.TryPass()) return;
            var limit = capacity.Limit.HasValue ? $"; the account allows about {capacity.Limit.Value} in flight" : string.Empty;
            var total = submitted + waiting;
            _sink.WriteProgress(new ProgressRecord(_activityId, Activity, $"{submitted} submitted, {capacity.Running} running, {waiting} queued{limit}")
            {
                PercentComplete = total == 0 ? 0 : Math.Min(100, submitted * 100 / total),
                CurrentOperation = held
                    ? $"held back {heldFor.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} s more by the API's rate limit"
                    : queued > 0 ? $"{queued} waiting for a running task to finish" : null,
            });
            _written = true;
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
