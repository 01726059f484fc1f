using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// One attempt over one connection: the whole file, or the rest of a partial file (Range from its end, guarded by
    /// If-Range and the recorded total). When the whole file comes from a host that offers ranges with a validator and
    /// the file is large enough, the attempt becomes a <see cref="RangedDownload"/> whose first range this answer serves.
    /// </summary>
    internal sealed class SingleStreamDownload
    {
        private readonly MediaRequestSender _sender;
        private readonly BodyCopier _copier;
        private readonly RangedDownload _ranged;
        private readonly DownloadTuning _tuning;
        private readonly DownloadLimits _limits;
        private readonly TimeSpan _readTimeout;
        private readonly IZAiLog _log;

        public SingleStreamDownload(MediaRequestSender sender, BodyCopier copier, RangedDownload ranged, DownloadTuning tuning, DownloadLimits limits, TimeSpan readTimeout, IZAiLog log)
        {
            _log = log;
            _sender = sender;
            _copier = copier;
            _ranged = ranged;
            _tuning = tuning;
            _limits = limits;
            _readTimeout = readTimeout;
        }

        public async Task<BodyInfo> RunAsync(DownloadJob job, bool maySplit, CancellationToken cancellationToken)
        {
            var item = job.Item;
            var partial = job.Partial;
            var have = partial.Length();
            var record = have > 0 ? partial.ReadRecord() : null;
            if (have > 0 && record is null) have = 0; // cannot prove the partial bytes are of the same file

            using var send = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            send.CancelAfter(_readTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _sender.SendAsync(item, job.Uri, have == 0 ? null : request =>
                {
                    request.Headers.Range = new RangeHeaderValue(have, null);
                    request.Headers.TryAddWithoutValidation("If-Range", record!.Validator);
                }, send.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is HttpRequestException || ex is IOException || ex is OperationCanceledException))
            {
                throw DownloadErrors.Transient(item, $"could not reach {job.Uri.Host}: {DownloadErrors.Innermost(ex).Message}");
            }
            send.CancelAfter(Timeout.Infinite);

            using (response)
            {
                job.Source = response.RequestMessage?.RequestUri ?? job.Uri;
                var host = job.Source.Host;
                var status = (int)response.StatusCode;
                var verdict = have > 0
                    ? RangeResponse.Classify(status, have, null, record!.Total, record.Validator, response.Content.Headers.ContentRange, response.Content.Headers.ContentLength, MediaValidator.Answered(response, record.Validator))
                    : status == 200 ? RangeVerdict.WholeFile : status == 206 ? RangeVerdict.OtherRange : RangeVerdict.Failed;
                long offset;
                long? total;
                switch (verdict)
                {
                    case RangeVerdict.Continues:
                        offset = have;
                        total = record!.Total;
                        break;
                    case RangeVerdict.WholeFile:
                        offset = 0;
                        total = response.Content.Headers.ContentLength;
                        break;
                    case RangeVerdict.NotSatisfiable when have > 0:
                        // Complete only if the partial has the length first announced and the host still says so.
                        if (record!.Total == have && response.Content.Headers.ContentRange?.Length == have)
                        {
                            job.Progress.SetTotal(have);
                            job.Progress.Reset(have);
                            return new BodyInfo(record.ContentType, have);
                        }
                        partial.Delete();
                        throw DownloadErrors.Transient(item, $"{host} refused to resume the partial file; starting again");
                    case RangeVerdict.OtherRange:
                        partial.Delete();
                        throw DownloadErrors.Transient(item, $"{host} answered a range that does not continue the partial file ({RangeResponse.Mismatch(response, record!.Validator)}); starting again");
                    default:
                        throw DownloadErrors.ForStatus(item, job.Source, response);
                }

                if (total > _limits.MaximumFileSize)
                {
                    partial.Delete();
                    throw DownloadErrors.TooLarge(item, _limits, $"{host} announced {total.Value} bytes");
                }
                var contentType = response.Content.Headers.ContentType?.MediaType;
                if (offset == 0)
                {
                    var notMedia = MediaContentCheck.ProblemWithType(contentType);
                    if (notMedia != null) throw DownloadErrors.NotMedia(item, notMedia);
                    var fresh = RecordOf(response, contentType, total, out var weakness);
                    if (weakness != null)
                    {
                        _log.Verbose($"{host} gives no strong validator for the {item.Describe()}: {weakness}. It is downloaded over one connection, and a broken connection starts it over.");
                    }
                    if (maySplit && fresh != null && RangePlanner.ShouldSplit(total, resumable: true, _tuning))
                    {
                        var ledger = new RangeLedger(fresh, RangePlanner.Plan(total!.Value, _tuning.ConnectionsPerFile));
                        await _ranged.RunAndCloseAsync(job, ledger, StartRanged(job, ledger), response, cancellationToken).ConfigureAwait(false);
                        return new BodyInfo(contentType, total);
                    }
                    try
                    {
                        partial.Delete();
                        partial.WriteRecord(fresh);
                    }
                    catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException) && !(ex is LinkRefusedException))
                    {
                        throw DownloadErrors.WriteFailed(item, partial.SidePath, ex);
                    }
                }
                job.Progress.SetTotal(total ?? -1);
                job.Progress.Reset(offset);

                using var writer = Open(job, offset);
                try
                {
                    using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    {
                        await _copier.CopyAsync(job, response, body, writer, offset, total - offset, null, cancellationToken).ConfigureAwait(false);
                    }
                    writer.Flush();
                }
                catch (ZAiMediaException error) when (error.Reason == MediaErrorReason.TooLarge || error.Reason == MediaErrorReason.UnexpectedContent)
                {
                    writer.Dispose();
                    partial.Delete();
                    throw;
                }
                catch (IOException ex) when (!(ex is LinkRefusedException))
                {
                    throw DownloadErrors.WriteFailed(item, partial.Path, ex);
                }
                return new BodyInfo(contentType, total);
            }
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

        private static PartialWriter Open(DownloadJob job, long offset)
        {
            try
            {
                return offset == 0 ? PartialWriter.Create(job.Partial.Path) : PartialWriter.Open(job.Partial.Path, keep: offset);
            }
            catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException) && !(ex is LinkRefusedException))
            {
                throw DownloadErrors.WriteFailed(job.Item, job.Partial.Path, ex);
            }
        }

        /// <summary>What a download from byte 0 is of, when a later answer can prove it continues the same file; else null.</summary>
        /// <param name="weakness">Why a host that offers ranges cannot be trusted with them; null when it can, or offers none.</param>
        private static PartialRecord? RecordOf(HttpResponseMessage response, string? contentType, long? total, out string? weakness)
        {
            weakness = null;
            if (response.Headers.AcceptRanges.All(unit => unit != "bytes")) return null;
            var validator = MediaValidator.Strong(response, out weakness);
            return validator is null ? null : new PartialRecord(validator, contentType, total);
        }
    }
}
