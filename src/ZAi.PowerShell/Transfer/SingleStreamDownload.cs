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
    /// One connection's step of an attempt: asks for the whole file, or the rest of a partial file (Range from its
    /// end, guarded by If-Range and the recorded total), judges the answer, and copies its body into the partial file.
    /// Whether a whole-file answer is copied here or serves the first range of a split is <see cref="TransferAttempt"/>'s call.
    /// </summary>
    internal sealed class SingleStreamDownload
    {
        private readonly MediaRequestSender _sender;
        private readonly BodyCopier _copier;
        private readonly DownloadLimits _limits;
        private readonly TimeSpan _readTimeout;
        private readonly IZAiLog _log;

        public SingleStreamDownload(MediaRequestSender sender, BodyCopier copier, DownloadLimits limits, TimeSpan readTimeout, IZAiLog log)
        {
            _log = log;
            _sender = sender;
            _copier = copier;
            _limits = limits;
            _readTimeout = readTimeout;
        }

        /// <summary>
        /// Sends the request and judges the answer: an open body to copy (<see cref="OpenAnswer.Done"/> null), or a
        /// partial file the host shows complete (<see cref="OpenAnswer.Done"/> set, nothing to copy). Anything else throws.
        /// </summary>
        public async Task<OpenAnswer> OpenAsync(DownloadJob job, CancellationToken cancellationToken)
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

            var handed = false;
            try
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
                            return new OpenAnswer(null, have, have, record.ContentType, null, new BodyInfo(record.ContentType, have));
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
                PartialRecord? fresh = null;
                if (offset == 0)
                {
                    var notMedia = MediaContentCheck.ProblemWithType(contentType);
                    if (notMedia != null) throw DownloadErrors.NotMedia(item, notMedia);
                    fresh = RecordOf(response, contentType, total, out var weakness);
                    if (weakness != null)
                    {
                        _log.Verbose($"{host} gives no strong validator for the {item.Describe()}: {weakness}. It is downloaded over one connection, and a broken connection starts it over.");
                    }
                }
                handed = true;
                return new OpenAnswer(response, offset, total, contentType, fresh, null);
            }
            finally
            {
                if (!handed) response.Dispose();
            }
        }

        /// <summary>Copies an open answer's body into the partial file (from byte 0 under a fresh record, or after the bytes it continues).</summary>
        public async Task<BodyInfo> CopyAsync(DownloadJob job, OpenAnswer answer, CancellationToken cancellationToken)
        {
            var item = job.Item;
            var partial = job.Partial;
            var response = answer.Response!;
            var offset = answer.Offset;
            var total = answer.Total;
            if (offset == 0)
            {
                try
                {
                    partial.Delete();
                    partial.WriteRecord(answer.Fresh);
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
            return new BodyInfo(answer.ContentType, total);
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

    /// <summary>
    /// What one connection's request brought: an open answer whose body is still to be read, or a partial file the
    /// host showed complete (<see cref="Done"/>). Disposing it closes the answer unless a ranged download took it.
    /// </summary>
    internal sealed class OpenAnswer : IDisposable
    {
        public OpenAnswer(HttpResponseMessage? response, long offset, long? total, string? contentType, PartialRecord? fresh, BodyInfo? done)
        {
            Response = response;
            Offset = offset;
            Total = total;
            ContentType = contentType;
            Fresh = fresh;
            Done = done;
        }

        /// <summary>The open answer; null when <see cref="Done"/> is set.</summary>
        public HttpResponseMessage? Response { get; }

        /// <summary>The byte of the file its body starts at: 0 for the whole file, else the partial file's length.</summary>
        public long Offset { get; }

        /// <summary>The file's length as announced (or recorded, for a resume); null when none was announced.</summary>
        public long? Total { get; }

        public string? ContentType { get; }

        /// <summary>For a whole-file answer, what proves a later range is of the same file (Accept-Ranges and a strong validator); else null.</summary>
        public PartialRecord? Fresh { get; }

        /// <summary>Set when the partial file is already the whole file: nothing is to be copied.</summary>
        public BodyInfo? Done { get; }

        public void Dispose() => Response?.Dispose();
    }
}
