using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// Downloads one media file safely: streamed to '&lt;name&gt;.partial' in the destination folder through a small
    /// buffer, resumed with a Range request (guarded by If-Range and the recorded total length) after a dropped
    /// connection or on a re-run, and moved to its final name only when complete and of the announced length.
    /// Nothing is written through a link, and size, time and resumes are bounded by <see cref="DownloadLimits"/>.
    /// </summary>
    internal sealed class FileDownloader
    {
        private const int BufferSize = 256 * 1024;
        private readonly HttpClient _client;
        private readonly RetryPolicy _policy;
        private readonly TimeSpan _readTimeout;
        private readonly IZAiLog _log;
        private readonly DownloadLimits _limits;
        private readonly IClock _clock;

        /// <summary>The path length limit of this process; tests set Windows PowerShell 5.1's on any platform.</summary>
        internal PathLengthLimit PathLimit { get; set; } = PathLengthLimit.Current;

        public FileDownloader(HttpClient client, RetryPolicy policy, TimeSpan readTimeout, IZAiLog log, DownloadLimits? limits = null, IClock? clock = null)
        {
            _client = client;
            _policy = policy;
            _readTimeout = readTimeout;
            _log = log;
            _limits = limits ?? DownloadLimits.Default;
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>Validates a link before anything is sent.</summary>
        public static Uri CheckUrl(MediaItem item)
        {
            if (!Uri.TryCreate(item.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new ZAiMediaException(
                    MediaErrorReason.InvalidUrl,
                    $"The link of the {item.Describe()} is not an absolute http or https URL: '{item.Url}'. Only http and https links are downloaded.",
                    item.Url);
            }
            return uri;
        }

        /// <returns>The full path of the saved file.</returns>
        public async Task<string> DownloadAsync(MediaItem item, string folder, DownloadProgress progress, CancellationToken cancellationToken)
        {
            if (item.Url is null) return WriteInline(item, folder, progress);

            var uri = CheckUrl(item);
            var partial = NewPartial(item, folder);
            var run = new FileRun(_clock.Elapsed);
            var failures = 0;
            var resumes = 0;
            while (true)
            {
                var before = run.Received;
                try
                {
                    var body = await DownloadToPartialAsync(item, uri, partial, progress, run, cancellationToken).ConfigureAwait(false);
                    var final = MediaFileNames.Within(folder, item.BaseName + MediaFileNames.Extension(item.Kind, body.ContentType, item.Url), PathLimit);
                    Promote(partial, final, body.Total, item);
                    return final;
                }
                catch (LinkRefusedException ex)
                {
                    throw WriteFailed(item, ex.Path, ex);
                }
                catch (ZAiMediaException error) when (error.IsTransient && !cancellationToken.IsCancellationRequested)
                {
                    // A failure after new bytes arrived does not use up a retry: resuming makes progress. Resumes are
                    // bounded on their own, so a host that sends a few bytes per attempt cannot keep this going forever.
                    if (run.Received > before)
                    {
                        failures = 0;
                        resumes++;
                    }
                    string? gaveUp = null;
                    if (!_policy.ShouldRetry(error.IsTransient, failures)) gaveUp = $"Gave up after {failures + 1} attempts";
                    else if (resumes > _limits.MaxResumes) gaveUp = $"Gave up after {_limits.MaxResumes} resumes";
                    if (gaveUp != null)
                    {
                        throw new ZAiMediaException(error.Reason == MediaErrorReason.LengthMismatch ? MediaErrorReason.LengthMismatch : MediaErrorReason.DownloadFailed,
                            $"{error.Message} {gaveUp}{KeptPartial(partial)}.", item.Url, inner: error);
                    }
                    if (_limits.TooSlow(_clock.Elapsed - run.Started, run.Received)) throw TooSlow(item, uri, run, partial, error);
                    var delay = _policy.Delay(failures, error.RetryAfter);
                    failures++;
                    _log.Verbose($"{error.Message} Resuming from byte {SafeLength(partial)} in {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s (retry {failures} of {_policy.MaxRetries}).");
                    await _clock.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task<BodyInfo> DownloadToPartialAsync(MediaItem item, Uri uri, PartialFile partial, DownloadProgress progress, FileRun run, CancellationToken cancellationToken)
        {
            var have = partial.Length();
            var record = have > 0 ? partial.ReadRecord() : null;
            if (have > 0 && record is null) have = 0; // cannot prove the partial bytes are of the same file

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
                request.Headers.TryAddWithoutValidation("If-Range", record!.Validator);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_readTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is HttpRequestException || ex is IOException || ex is OperationCanceledException))
            {
                throw Transient(item, $"could not reach {uri.Host}: {Innermost(ex).Message}");
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                long offset;
                long? total;
                if (status == 206 && have > 0 && Continues(response, have, record!))
                {
                    offset = have;
                    total = response.Content.Headers.ContentRange!.Length;
                }
                else if (status == 200)
                {
                    offset = 0;
                    total = response.Content.Headers.ContentLength;
                }
                else if (status == 416 && have > 0)
                {
                    // Complete only if the partial has the length first announced and the host still says so.
                    if (record!.Total == have && response.Content.Headers.ContentRange?.Length == have)
                    {
                        progress.SetTotal(have);
                        progress.Reset(have);
                        return new BodyInfo(record.ContentType, have);
                    }
                    partial.Delete();
                    throw Transient(item, $"{uri.Host} refused to resume the partial file; starting again");
                }
                else if (status == 206)
                {
                    partial.Delete();
                    throw Transient(item, $"{uri.Host} answered a range that does not continue the partial file (another length or version); starting again");
                }
                else if (status == 403 || status == 404 || status == 410)
                {
                    throw new ZAiMediaException(
                        MediaErrorReason.LinkExpired,
                        $"The link of the {item.Describe()} answered HTTP {status}: it has expired or does not exist. Z.AI media links are temporary (images expire 30 days after generation); run Get-ZAiAsyncResult again for fresh links.",
                        item.Url);
                }
                else if (status == 408 || status == 429 || status >= 500)
                {
                    throw Transient(item, $"{uri.Host} answered HTTP {status}", RetryAfterHeader.Read(response.Headers, DateTimeOffset.UtcNow));
                }
                else
                {
                    throw new ZAiMediaException(MediaErrorReason.DownloadFailed, $"The link of the {item.Describe()} answered HTTP {status} {response.ReasonPhrase}.", item.Url);
                }

                if (total > _limits.MaximumFileSize)
                {
                    partial.Delete();
                    throw TooLarge(item, uri, $"{uri.Host} announced {total.Value} bytes");
                }
                var contentType = response.Content.Headers.ContentType?.MediaType;
                if (offset == 0)
                {
                    var notMedia = MediaContentCheck.ProblemWithType(contentType);
                    if (notMedia != null) throw NotMedia(item, uri, notMedia);
                    try
                    {
                        partial.Delete();
                        partial.WriteRecord(RecordOf(response, contentType, total));
                    }
                    catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException) && !(ex is LinkRefusedException))
                    {
                        throw WriteFailed(item, partial.SidePath, ex);
                    }
                }
                progress.SetTotal(total ?? -1);
                progress.Reset(offset);

                var written = await CopyBodyAsync(item, uri, response, partial, offset, total, progress, run, timeout, cancellationToken).ConfigureAwait(false);
                if (total.HasValue && written != total.Value)
                {
                    throw new ZAiMediaException(MediaErrorReason.LengthMismatch,
                        $"The {item.Describe()} is {written} bytes but {uri.Host} announced {total.Value}.", item.Url, isTransient: true);
                }
                return new BodyInfo(contentType, total);
            }
        }

        /// <summary>A 206 continues the partial file only if it starts where it ends, for the same total and version.</summary>
        private static bool Continues(HttpResponseMessage response, long have, PartialRecord record)
        {
            var range = response.Content.Headers.ContentRange;
            if (range is null || range.From != have || !range.HasLength || record.Total is null || range.Length != record.Total) return false;
            // When both sides name an ETag it must be the same one (a Last-Modified validator was already checked by If-Range).
            var etag = response.Headers.ETag?.ToString();
            var recordedEtag = record.Validator.StartsWith("\"", StringComparison.Ordinal) || record.Validator.StartsWith("W/", StringComparison.Ordinal);
            return etag is null || !recordedEtag || etag == record.Validator;
        }

        private async Task<long> CopyBodyAsync(MediaItem item, Uri uri, HttpResponseMessage response, PartialFile partial, long offset, long? total, DownloadProgress progress, FileRun run, CancellationTokenSource timeout, CancellationToken cancellationToken)
        {
            FileStream file;
            try
            {
                file = offset == 0 ? SafeFile.CreateNew(partial.Path) : SafeFile.OpenExisting(partial.Path);
                file.SetLength(offset);
                file.Position = offset;
            }
            catch (LinkRefusedException)
            {
                throw;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException)
            {
                throw WriteFailed(item, partial.Path, ex);
            }

            // An idle watchdog instead of resetting a timer per read, which costs more than the read on fast links. It
            // also enforces the per-file deadline. It runs on the injected clock, whose Dispose waits for a running
            // callback, so it never touches the token source after this method has returned.
            timeout.CancelAfter(Timeout.Infinite);
            var watchdog = new Watchdog(_clock, _readTimeout, _limits, run, timeout);
            var period = TimeSpan.FromMilliseconds(Math.Max(100, Math.Min(1000, _readTimeout.TotalMilliseconds / 4)));
            var tooLarge = false;
            using (file)
            using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (timeout.Token.Register(response.Dispose))
            using (_clock.Every(period, watchdog.Check))
            {
                // One buffer, read then written on the same thread: a write lands in the page cache, so handing it to
                // another thread to overlap with the next read cost more CPU and time than it saved (measured on loopback).
                var buffer = new byte[BufferSize];
                var first = offset == 0;
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, 0, BufferSize, timeout.Token).ConfigureAwait(false);
                        watchdog.Progressed();
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is IOException || ex is HttpRequestException || ex is OperationCanceledException || ex is ObjectDisposedException))
                    {
                        if (watchdog.TooSlow) throw TooSlow(item, uri, run, partial, null);
                        var received = file.Length;
                        if (total.HasValue)
                        {
                            throw new ZAiMediaException(MediaErrorReason.LengthMismatch,
                                $"Downloading the {item.Describe()}: the body from {uri.Host} ended after {received} of {total.Value} bytes ({Innermost(ex).Message}).",
                                item.Url, isTransient: true);
                        }
                        throw Transient(item, $"the connection to {uri.Host} broke after {received} bytes: {Innermost(ex).Message}");
                    }
                    if (read == 0) break;
                    if (first)
                    {
                        first = false;
                        var notMedia = MediaContentCheck.ProblemWithBytes(buffer, read);
                        if (notMedia != null)
                        {
                            file.Dispose();
                            partial.Delete();
                            throw NotMedia(item, uri, notMedia);
                        }
                    }
                    if (file.Length + read > _limits.MaximumFileSize)
                    {
                        tooLarge = true;
                        break;
                    }
                    try
                    {
                        file.Write(buffer, 0, read);
                    }
                    catch (IOException ex)
                    {
                        throw WriteFailed(item, partial.Path, ex);
                    }
                    run.Add(read);
                    progress.Add(read);
                }
                if (!tooLarge)
                {
                    try
                    {
                        file.Flush(flushToDisk: false);
                    }
                    catch (IOException ex)
                    {
                        throw WriteFailed(item, partial.Path, ex);
                    }
                    return file.Length;
                }
            }
            partial.Delete();
            throw TooLarge(item, uri, "the body is larger");
        }

        private static void Promote(PartialFile partial, string final, long? total, MediaItem item)
        {
            try
            {
                // Never give a final name to a file of another length than the one announced, nor to a link.
                SafeFile.RefuseLink(partial.Path);
                if (total.HasValue && new FileInfo(partial.Path).Length != total.Value)
                {
                    partial.Delete();
                    throw new ZAiMediaException(MediaErrorReason.LengthMismatch,
                        $"The partial file of the {item.Describe()} is not of the announced length {total.Value}; it was removed.", item.Url, isTransient: true);
                }
                SafeFile.MoveReplacing(partial.Path, final);
                SafeFile.Delete(partial.SidePath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw WriteFailed(item, ex is LinkRefusedException link ? link.Path : final, ex);
            }
        }

        private string WriteInline(MediaItem item, string folder, DownloadProgress progress)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(item.Base64 ?? string.Empty);
            }
            catch (FormatException)
            {
                throw new ZAiMediaException(MediaErrorReason.DownloadFailed, $"The inline image of the {item.Describe()} is not valid base64.");
            }
            if (bytes.Length > _limits.MaximumFileSize)
            {
                throw new ZAiMediaException(MediaErrorReason.TooLarge, $"The inline image of the {item.Describe()} is {bytes.Length} bytes, more than -MaximumFileSize ({_limits.MaximumFileSize} bytes).");
            }
            var partial = NewPartial(item, folder);
            var final = MediaFileNames.Within(folder, item.BaseName + MediaFileNames.ExtensionOfBytes(bytes), PathLimit);
            try
            {
                partial.Delete();
                using (var file = SafeFile.CreateNew(partial.Path))
                {
                    file.Write(bytes, 0, bytes.Length);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw WriteFailed(item, ex is LinkRefusedException link ? link.Path : partial.Path, ex);
            }
            progress.SetTotal(bytes.Length);
            progress.Reset(bytes.Length);
            Promote(partial, final, bytes.Length, item);
            return final;
        }

        private static PartialRecord? RecordOf(HttpResponseMessage response, string? contentType, long? total)
        {
            // The ETag (or Last-Modified) lets a later resume prove the partial bytes are of this same file.
            var validator = response.Headers.ETag?.ToString()
                ?? response.Content.Headers.LastModified?.ToString("r", CultureInfo.InvariantCulture);
            if (validator is null || validator.Any(char.IsControl) || response.Headers.AcceptRanges.All(unit => unit != "bytes")) return null;
            return new PartialRecord(validator, contentType, total);
        }

        private static long SafeLength(PartialFile partial)
        {
            try
            {
                return partial.Length();
            }
            catch (IOException)
            {
                return 0;
            }
        }

        private ZAiMediaException TooSlow(MediaItem item, Uri uri, FileRun run, PartialFile partial, Exception? inner)
        {
            var elapsed = _clock.Elapsed - run.Started;
            return new ZAiMediaException(MediaErrorReason.TooSlow,
                $"Downloading the {item.Describe()}: {uri.Host} sent {run.Received} bytes in {elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s, "
                + $"below the minimum throughput ({_limits.DescribeDeadline()}){KeptPartial(partial)}.",
                item.Url, inner: inner);
        }

        /// <summary>"; the partial file is kept ..." only when there is one: a failure before the first byte leaves none.</summary>
        private static string KeptPartial(PartialFile partial)
        {
            long length;
            try
            {
                length = partial.Length();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                length = 0;
            }
            return length > 0 ? $"; the partial file ({length} bytes) is kept and the next run resumes it" : string.Empty;
        }

        private ZAiMediaException TooLarge(MediaItem item, Uri uri, string what)
        {
            return new ZAiMediaException(MediaErrorReason.TooLarge,
                $"The {item.Describe()} is larger than -MaximumFileSize ({_limits.MaximumFileSize} bytes): {what}. The partial file was removed; raise -MaximumFileSize if the file is expected to be this large.",
                item.Url);
        }

        private static ZAiMediaException NotMedia(MediaItem item, Uri uri, string what)
        {
            return new ZAiMediaException(MediaErrorReason.UnexpectedContent,
                $"The link of the {item.Describe()} answered {what}, not a {item.Kind.ToString().ToLowerInvariant()} file; nothing was saved. The link may need a login or the host may be failing.",
                item.Url);
        }

        private static ZAiMediaException Transient(MediaItem item, string what, TimeSpan? retryAfter = null)
        {
            return new ZAiMediaException(MediaErrorReason.DownloadFailed, $"Downloading the {item.Describe()}: {what}.", item.Url, isTransient: true, retryAfter: retryAfter);
        }

        private static ZAiMediaException WriteFailed(MediaItem item, string path, Exception ex)
        {
            var why = ex is LinkRefusedException ? ex.Message : $"Could not write the {item.Describe()} to '{path}': {ex.Message}";
            return new ZAiMediaException(MediaErrorReason.WriteFailed, ex is LinkRefusedException ? $"Could not save the {item.Describe()}: {why}" : why, item.Url, inner: ex);
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        private sealed class BodyInfo
        {
            public BodyInfo(string? contentType, long? total)
            {
                ContentType = contentType;
                Total = total;
            }

            public string? ContentType { get; }

            public long? Total { get; }
        }
    
        /// <summary>The partial and side file of an item; a path too long for this platform is a write failure.</summary>
        private PartialFile NewPartial(MediaItem item, string folder)
        {
            try
            {
                var partial = new PartialFile(folder, item.BaseName, PathLimit);
                PathLimit.CheckFile(partial.SidePath);
                return partial;
            }
            catch (PathTooLongException ex)
            {
                throw new ZAiMediaException(MediaErrorReason.WriteFailed, $"Cannot save the {item.Describe()}: {ex.Message}", item.Url, inner: ex);
            }
        }
    }

}
