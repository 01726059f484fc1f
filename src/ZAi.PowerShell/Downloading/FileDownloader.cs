using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// Downloads one media file safely: streamed to '&lt;name&gt;.partial' in the destination folder through a small
    /// buffer, resumed with a Range request (guarded by If-Range) after a dropped connection or on a re-run, and
    /// moved to its final name only when complete and of the announced length.
    /// </summary>
    internal sealed class FileDownloader
    {
        private const int BufferSize = 256 * 1024;
        private const string ValidatorSuffix = ".validator";
        private readonly HttpClient _client;
        private readonly RetryPolicy _policy;
        private readonly TimeSpan _readTimeout;
        private readonly IZAiLog _log;

        /// <summary>The path length limit of this process; tests set Windows PowerShell 5.1's on any platform.</summary>
        internal PathLengthLimit PathLimit { get; set; } = PathLengthLimit.Current;

        public FileDownloader(HttpClient client, RetryPolicy policy, TimeSpan readTimeout, IZAiLog log)
        {
            _client = client;
            _policy = policy;
            _readTimeout = readTimeout;
            _log = log;
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
            var partial = PartialPath(item, folder);
            var failures = 0;
            while (true)
            {
                var before = progress.Bytes;
                try
                {
                    var contentType = await DownloadToPartialAsync(item, uri, partial, progress, cancellationToken).ConfigureAwait(false);
                    var final = MediaFileNames.Within(folder, item.BaseName + MediaFileNames.Extension(item.Kind, contentType, item.Url), PathLimit);
                    Promote(partial, final, item);
                    return final;
                }
                catch (ZAiMediaException error) when (error.IsTransient && !cancellationToken.IsCancellationRequested)
                {
                    // A failure after new bytes arrived does not use up a retry: resuming makes progress.
                    if (progress.Bytes > before) failures = 0;
                    if (!_policy.ShouldRetry(new ZAiApiException(ZAiErrorReason.Unknown, error.Message, isTransient: true), failures))
                    {
                        throw new ZAiMediaException(error.Reason == MediaErrorReason.LengthMismatch ? MediaErrorReason.LengthMismatch : MediaErrorReason.DownloadFailed,
                            $"{error.Message} Gave up after {failures + 1} attempts; the partial file is kept and the next run resumes it.", item.Url, inner: error);
                    }
                    var delay = _policy.Delay(failures, error.RetryAfter);
                    failures++;
                    _log.Verbose($"{error.Message} Resuming from byte {SafeLength(partial)} in {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s (retry {failures} of {_policy.MaxRetries}).");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <returns>The response's Content-Type.</returns>
        private async Task<string?> DownloadToPartialAsync(MediaItem item, Uri uri, string partial, DownloadProgress progress, CancellationToken cancellationToken)
        {
            var have = SafeLength(partial);
            var validator = have > 0 ? ReadValidator(partial) : null;
            if (have > 0 && validator is null) have = 0; // cannot prove the partial bytes are of the same file

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
                request.Headers.TryAddWithoutValidation("If-Range", validator);
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
                if (status == 206 && have > 0 && response.Content.Headers.ContentRange is { } range && range.From == have)
                {
                    offset = have;
                    total = range.Length;
                }
                else if (status == 200)
                {
                    offset = 0;
                    total = response.Content.Headers.ContentLength;
                }
                else if (status == 416 && have > 0)
                {
                    if (response.Content.Headers.ContentRange?.Length == have)
                    {
                        progress.SetTotal(have);
                        progress.Reset(have);
                        return ReadContentTypeFromValidator(partial);
                    }
                    DeletePartial(partial);
                    throw Transient(item, $"{uri.Host} refused to resume the partial file; starting again");
                }
                else if (status == 206)
                {
                    DeletePartial(partial);
                    throw Transient(item, $"{uri.Host} answered a range that does not continue the partial file; starting again");
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

                var contentType = response.Content.Headers.ContentType?.MediaType;
                if (offset == 0)
                {
                    try
                    {
                        WriteValidator(partial, response, contentType);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw WriteFailed(item, partial + ValidatorSuffix, ex);
                    }
                }
                progress.SetTotal(total ?? -1);
                progress.Reset(offset);

                var written = await CopyBodyAsync(item, uri, response, partial, offset, total, progress, timeout, cancellationToken).ConfigureAwait(false);
                if (total.HasValue && written != total.Value)
                {
                    throw new ZAiMediaException(MediaErrorReason.LengthMismatch,
                        $"The {item.Describe()} is {written} bytes but {uri.Host} announced {total.Value}.", item.Url, isTransient: true);
                }
                return contentType;
            }
        }

        private async Task<long> CopyBodyAsync(MediaItem item, Uri uri, HttpResponseMessage response, string partial, long offset, long? total, DownloadProgress progress, CancellationTokenSource timeout, CancellationToken cancellationToken)
        {
            FileStream file;
            try
            {
                file = new FileStream(partial, offset == 0 ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.None, 1, useAsync: false);
                file.SetLength(offset);
                file.Position = offset;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException)
            {
                throw WriteFailed(item, partial, ex);
            }

            // An idle watchdog instead of resetting a timer per read, which costs more than the read on fast links.
            timeout.CancelAfter(Timeout.Infinite);
            var lastProgress = Stopwatch.StartNew();
            var period = TimeSpan.FromMilliseconds(Math.Max(100, Math.Min(1000, _readTimeout.TotalMilliseconds / 4)));
            using (file)
            using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (timeout.Token.Register(response.Dispose))
            using (new Timer(_ => { if (lastProgress.Elapsed > _readTimeout) timeout.Cancel(); }, null, period, period))
            {
                // One buffer, read then written on the same thread: a write lands in the page cache, so handing it to
                // another thread to overlap with the next read cost more CPU and time than it saved (measured on loopback).
                var buffer = new byte[BufferSize];
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, 0, BufferSize, timeout.Token).ConfigureAwait(false);
                        lastProgress.Restart();
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is IOException || ex is HttpRequestException || ex is OperationCanceledException || ex is ObjectDisposedException))
                    {
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
                    try
                    {
                        file.Write(buffer, 0, read);
                    }
                    catch (IOException ex)
                    {
                        throw WriteFailed(item, partial, ex);
                    }
                    progress.Add(read);
                }
                try
                {
                    file.Flush(flushToDisk: false);
                }
                catch (IOException ex)
                {
                    throw WriteFailed(item, partial, ex);
                }
                return file.Length;
            }
        }

        private static void Promote(string partial, string final, MediaItem item)
        {
            try
            {
                if (File.Exists(final)) File.Delete(final);
                File.Move(partial, final);
                File.Delete(partial + ValidatorSuffix);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw WriteFailed(item, final, ex);
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
            var partial = PartialPath(item, folder);
            var final = MediaFileNames.Within(folder, item.BaseName + MediaFileNames.ExtensionOfBytes(bytes), PathLimit);
            try
            {
                File.WriteAllBytes(partial, bytes);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw WriteFailed(item, partial, ex);
            }
            progress.SetTotal(bytes.Length);
            progress.Reset(bytes.Length);
            Promote(partial, final, item);
            return final;
        }

        private static void WriteValidator(string partial, HttpResponseMessage response, string? contentType)
        {
            // The ETag (or Last-Modified) lets a later resume prove the partial bytes are of this same file.
            var validator = response.Headers.ETag?.ToString()
                ?? response.Content.Headers.LastModified?.ToString("r", CultureInfo.InvariantCulture);
            var path = partial + ValidatorSuffix;
            if (validator is null || response.Headers.AcceptRanges.All(unit => unit != "bytes"))
            {
                if (File.Exists(path)) File.Delete(path);
                return;
            }
            File.WriteAllLines(path, new[] { validator, contentType ?? string.Empty });
        }

        private static string? ReadValidator(string partial)
        {
            var path = partial + ValidatorSuffix;
            try
            {
                return File.Exists(path) ? File.ReadAllLines(path).FirstOrDefault(line => line.Length > 0) : null;
            }
            catch (IOException)
            {
                return null;
            }
        }

        private static string? ReadContentTypeFromValidator(string partial)
        {
            var lines = File.ReadAllLines(partial + ValidatorSuffix);
            return lines.Length > 1 && lines[1].Length > 0 ? lines[1] : null;
        }

        private static void DeletePartial(string partial)
        {
            File.Delete(partial);
            File.Delete(partial + ValidatorSuffix);
        }

        private static long SafeLength(string path)
        {
            try
            {
                return File.Exists(path) ? new FileInfo(path).Length : 0;
            }
            catch (IOException)
            {
                return 0;
            }
        }

        private static ZAiMediaException Transient(MediaItem item, string what, TimeSpan? retryAfter = null)
        {
            return new ZAiMediaException(MediaErrorReason.DownloadFailed, $"Downloading the {item.Describe()}: {what}.", item.Url, isTransient: true, retryAfter: retryAfter);
        }

        /// <summary>The item's .partial file; a ZAiMediaWriteFailed error when it, or the validator file beside it, would be too long a path.</summary>
        private string PartialPath(MediaItem item, string folder)
        {
            try
            {
                var partial = MediaFileNames.Within(folder, item.BaseName + MediaFileNames.PartialSuffix, PathLimit);
                PathLimit.CheckFile(partial + ValidatorSuffix);
                return partial;
            }
            catch (PathTooLongException ex)
            {
                throw new ZAiMediaException(MediaErrorReason.WriteFailed, $"Cannot save the {item.Describe()}: {ex.Message}", item.Url, inner: ex);
            }
        }

        private static ZAiMediaException WriteFailed(MediaItem item, string path, Exception ex)
        {
            return new ZAiMediaException(MediaErrorReason.WriteFailed, $"Could not write the {item.Describe()} to '{path}': {ex.Message}", item.Url, inner: ex);
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }
}
