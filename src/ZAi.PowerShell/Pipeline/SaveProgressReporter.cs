using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using ZAi.PowerShell.Transfer;
using ZAi.PowerShell.Timing;
namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// An overall bar (files, bytes, rate) and a child bar per active file, updated at most every
    /// <c>every</c>; per-chunk progress is what makes Invoke-WebRequest slow, so chunks never trigger a write.
    /// </summary>
    internal sealed class SaveProgressReporter
    {
        private const string Activity = "Saving Z.AI media";
        private readonly IPipelineSink _sink;
        private readonly int _activityId;
        private readonly bool _enabled;
        private readonly IClock _clock;
        private readonly TimeSpan _started;
        private readonly Pacer _pacer;
        private readonly Dictionary<DownloadProgress, int> _childIds = new Dictionary<DownloadProgress, int>();
        private int _nextChildId;
        private bool _written;

        public SaveProgressReporter(IPipelineSink sink, int activityId, TimeSpan every, IClock? clock = null)
        {
            _sink = sink;
            _activityId = activityId;
            _clock = clock ?? SystemClock.Instance;
            _started = _clock.Elapsed;
            _pacer = new Pacer(_clock, every);
            _nextChildId = activityId + 1;
            _enabled = sink.ProgressEnabled;
        }

        /// <param name="total">Files planned so far.</param>
        /// <param name="done">Files finished (saved, skipped or failed).</param>
        /// <param name="active">Downloads running now.</param>
        /// <param name="finishedBytes">Bytes of files already finished.</param>
        /// <param name="finishedReceived">Of those, the bytes received in this run (not resumed from earlier ones): the rate counts only these.</param>
        public void Update(int total, int done, IReadOnlyCollection<DownloadProgress> active, long finishedBytes, long finishedReceived, bool force = false)
        {
            if (!_enabled || !_pacer.TryPass(force)) return;
            long bytes = finishedBytes;
            long received = finishedReceived;
            foreach (var file in active)
            {
                bytes += file.Bytes;
                received += file.Received;
            }
            var seconds = Math.Max((_clock.Elapsed - _started).TotalSeconds, 0.001);
            var overall = new ProgressRecord(_activityId, Activity, $"{done} of {total} files, {Size(bytes)}, {Size((long)(received / seconds))}/s")
            {
                PercentComplete = total == 0 ? 0 : Math.Min(100, done * 100 / total),
            };
            _sink.WriteProgress(overall);

            var gone = new List<DownloadProgress>(_childIds.Keys);
            foreach (var file in active)
            {
                gone.Remove(file);
                if (!_childIds.TryGetValue(file, out var id)) _childIds[file] = id = _nextChildId++;
                var size = file.Total > 0 ? $"{Size(file.Bytes)} of {Size(file.Total)}" : Size(file.Bytes);
                var rate = file.BytesPerSecond(_clock.Elapsed);
                if (rate > 0) size += $", {Size((long)rate)}/s";
                _sink.WriteProgress(new ProgressRecord(id, file.Name, size)
                {
                    ParentActivityId = _activityId,
                    PercentComplete = file.Total > 0 ? (int)Math.Min(100, file.Bytes * 100 / file.Total) : -1,
                });
            }
            foreach (var file in gone)
            {
                CompleteChild(file);
            }
            _written = true;
        }

        public void Complete()
        {
            if (!_enabled || !_written) return;
            try
            {
                foreach (var file in new List<DownloadProgress>(_childIds.Keys)) CompleteChild(file);
                _sink.WriteProgress(new ProgressRecord(_activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException)
            {
            }
        }

        private void CompleteChild(DownloadProgress file)
        {
            _sink.WriteProgress(new ProgressRecord(_childIds[file], file.Name, "Done") { ParentActivityId = _activityId, RecordType = ProgressRecordType.Completed });
            _childIds.Remove(file);
        }

        internal static string Size(long bytes)
        {
            string[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
            double value = bytes;
            var unit = 0;
            while (value >= 1024 && unit < units.Length - 1)
            {
                value /= 1024;
                unit++;
            }
            return value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[unit];
        }
    }
}
