using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Copies one response body into the partial file at an offset: at most the bytes expected, checked for markup at
    /// byte 0 and against -MaximumFileSize, counted for progress and the file's deadline, with a watchdog that
    /// abandons an idle or too slow body.
    /// </summary>
    internal sealed class BodyCopier
    {
        /// <summary>Large enough that the per-read costs (watchdog, counters, the write call) vanish next to the copy.</summary>
        internal const int BufferSize = 512 * 1024;
        private readonly IClock _clock;
        private readonly TimeSpan _readTimeout;
        private readonly DownloadLimits _limits;

        public BodyCopier(IClock clock, TimeSpan readTimeout, DownloadLimits limits)
        {
            _clock = clock;
            _readTimeout = readTimeout;
            _limits = limits;
        }

        /// <param name="body">The response's content stream; left open, so that the next range can follow on it.</param>
        /// <param name="expected">Bytes this body must bring (the rest of the file or of a range); null when unknown.</param>
        /// <param name="written">Told of each write after it is done (a ranged download's ledger).</param>
        /// <param name="allow">
        /// Asked before each write how many of the bytes read may be written (a ranged download whose range another
        /// connection took part of): fewer ends the copy there, as complete.
        /// </param>
        /// <returns>Bytes written.</returns>
        public async Task<long> CopyAsync(DownloadJob job, HttpResponseMessage response, Stream body, PartialWriter writer, long offset, long? expected, Action<long>? written, CancellationToken cancellationToken, Func<long, long>? allow = null)
        {
            // An idle watchdog instead of resetting a timer per read, which costs more than the read on fast links. It
            // also enforces the per-file deadline. It runs on the injected clock, whose Dispose waits for a running
            // callback, so it never touches the token source after this method has returned.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watchdog = new Watchdog(_clock, _readTimeout, _limits, job.Run, timeout);
            var period = TimeSpan.FromMilliseconds(Math.Max(100, Math.Min(1000, _readTimeout.TotalMilliseconds / 4)));
            var item = job.Item;
            var host = job.Source.Host;
            long copied = 0;
            var cut = false;
            using (timeout.Token.Register(response.Dispose))
            using (_clock.Every(period, watchdog.Check))
            {
                // One buffer, read then written on the same thread: a write lands in the page cache, so handing it to
                // another thread to overlap with the next read cost more CPU and time than it saved (measured on loopback).
                var buffer = new byte[expected.HasValue ? (int)Math.Max(1, Math.Min(BufferSize, expected.Value)) : BufferSize];
                while (true)
                {
                    var want = expected.HasValue ? (int)Math.Min(buffer.Length, expected.Value - copied) : buffer.Length;
                    if (want == 0) break;
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, 0, want, timeout.Token).ConfigureAwait(false);
                        watchdog.Progressed();
                    }
                    // Once the watchdog gave up and disposed the response under the read, .NET may fail that read in any way (a
                    // NullReferenceException among them): it is the slow or short body, not a crash.
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (timeout.IsCancellationRequested || ex is IOException || ex is HttpRequestException || ex is OperationCanceledException || ex is ObjectDisposedException))
                    {
                        if (watchdog.TooSlow) throw DownloadErrors.TooSlow(item, job.Source, job.Run, _clock.Elapsed - job.Run.Started, _limits, job.Partial.KeptBytes(), null);
                        if (expected.HasValue) throw DownloadErrors.ShortBody(item, job.Source, offset + copied, offset + expected.Value, DownloadErrors.Innermost(ex).Message);
                        throw DownloadErrors.Transient(item, $"the connection to {host} broke after {offset + copied} bytes: {DownloadErrors.Innermost(ex).Message}");
                    }
                    if (read == 0) break;
                    if (offset + copied == 0)
                    {
                        var notMedia = MediaContentCheck.ProblemWithBytes(buffer, read);
                        if (notMedia != null) throw DownloadErrors.NotMedia(item, notMedia);
                    }
                    if (offset + copied + read > _limits.MaximumFileSize) throw DownloadErrors.TooLarge(item, _limits, "the body is larger");
                    var allowed = allow is null ? read : (int)allow(read);
                    if (allowed < read) cut = true;
                    if (allowed == 0) break;
                    read = allowed;
                    try
                    {
                        writer.Write(offset + copied, buffer, read);
                    }
                    catch (IOException ex)
                    {
                        throw DownloadErrors.WriteFailed(item, writer.Path, ex);
                    }
                    copied += read;
                    job.Run.Add(read);
                    job.Progress.Add(read);
                    written?.Invoke(read);
                    if (cut) break;
                }
            }
            if (expected.HasValue && copied < expected.Value && !cut) throw DownloadErrors.ShortBody(item, job.Source, offset + copied, offset + expected.Value);
            return copied;
        }
    }
}
