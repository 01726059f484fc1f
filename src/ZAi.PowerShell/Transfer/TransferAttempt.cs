using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// One attempt at a file, and the one place that decides how its bytes come: a partial file whose range ledger
    /// still matches resumes over ranges; anything else goes over one connection (<see cref="SingleStreamDownload"/>),
    /// and a whole-file answer from a host that offers ranges with a strong validator, for a file at or over the split
    /// threshold, becomes a <see cref="RangedDownload"/> whose first range that answer serves. No other class starts a
    /// ranged download. The rules are <see cref="RangePlanner"/>'s pure functions: the split threshold here, and the
    /// probe's verdict, which the ranged download applies once its first connection has run alone for the probe time.
    /// </summary>
    internal sealed class TransferAttempt
    {
        private readonly SingleStreamDownload _single;
        private readonly RangedDownload _ranged;
        private readonly DownloadTuning _tuning;
        private readonly DownloadLimits _limits;
        private readonly IZAiLog _log;

        public TransferAttempt(MediaRequestSender sender, DownloadTuning tuning, DownloadLimits limits, HostConnections hosts, IClock clock, TimeSpan readTimeout, IZAiLog log)
        {
            _tuning = tuning;
            _limits = limits;
            _log = log;
            var copier = new BodyCopier(clock, readTimeout, limits);
            _ranged = new RangedDownload(sender, copier, tuning, hosts, clock, readTimeout, log);
            _single = new SingleStreamDownload(sender, copier, limits, readTimeout, log);
        }

        /// <param name="rangesAllowed">False once the host proved it cannot be trusted with ranges: one connection, from byte 0 or the partial's end.</param>
        public async Task<BodyInfo> RunAsync(DownloadJob job, bool rangesAllowed, CancellationToken cancellationToken)
        {
            var ledger = rangesAllowed ? job.Partial.ReadLedger() : null;
            if (ledger != null && job.Partial.Length() == ledger.Total) return await ResumeRangesAsync(job, ledger, cancellationToken).ConfigureAwait(false);

            using var answer = await _single.OpenAsync(job, cancellationToken).ConfigureAwait(false);
            if (answer.Done != null) return answer.Done;
            if (rangesAllowed && answer.Offset == 0 && answer.Fresh != null && RangePlanner.ShouldSplit(answer.Total, resumable: true, _tuning))
            {
                var split = new RangeLedger(answer.Fresh, RangePlanner.Plan(answer.Total!.Value, _tuning.ConnectionsPerFile));
                await _ranged.RunAndCloseAsync(job, split, StartRanged(job, split), answer.Response, cancellationToken).ConfigureAwait(false);
                return new BodyInfo(answer.ContentType, answer.Total);
            }
            return await _single.CopyAsync(job, answer, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Fetches the ranges a ledger records as incomplete into the partial file, which already has the file's length.</summary>
        private async Task<BodyInfo> ResumeRangesAsync(DownloadJob job, RangeLedger ledger, CancellationToken cancellationToken)
        {
            if (ledger.Total > _limits.MaximumFileSize)
            {
                DeletePartial(job);
                throw DownloadErrors.TooLarge(job.Item, _limits, $"the partial file is of a file of {ledger.Total} bytes");
            }
            PartialWriter writer;
            try
            {
                writer = PartialWriter.Open(job.Partial.Path);
            }
            catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException) && !(ex is LinkRefusedException))
            {
                throw DownloadErrors.WriteFailed(job.Item, job.Partial.Path, ex);
            }
            _log.Verbose($"Resuming the {job.Item.Describe()}: {ledger.DoneBytes} of {ledger.Total} bytes in {ledger.Count} ranges are already saved.");
            await _ranged.RunAndCloseAsync(job, ledger, writer, null, cancellationToken).ConfigureAwait(false);
            return new BodyInfo(ledger.Record.ContentType, ledger.Total);
        }

        /// <summary>Records the ranges first, then creates the partial file at its full length: no side file ever claims bytes of another file.</summary>
        private static PartialWriter StartRanged(DownloadJob job, RangeLedger ledger)
        {
            try
            {
                job.Partial.Delete();
                job.Partial.WriteLedger(ledger);
                return PartialWriter.Create(job.Partial.Path, ledger.Total);
            }
            catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException) && !(ex is LinkRefusedException))
            {
                throw DownloadErrors.WriteFailed(job.Item, job.Partial.Path, ex);
            }
        }

        /// <summary>Removes the partial file and its side file; one that cannot be removed is a write failure.</summary>
        internal static void DeletePartial(DownloadJob job)
        {
            try
            {
                job.Partial.Delete();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw DownloadErrors.WriteFailed(job.Item, ex is LinkRefusedException link ? link.Path : job.Partial.Path, ex);
            }
        }
    }
}
