using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Downloads one media file safely: into '&lt;name&gt;.partial' in the destination folder, over one connection or
    /// several (each attempt is a <see cref="TransferAttempt"/>, which decides); resumed after a dropped connection or
    /// on a re-run; moved to its final name only when complete and of the announced length. This class is the retry
    /// loop around those attempts.
    /// Nothing is written through a link, and size, time and resumes are bounded by <see cref="DownloadLimits"/>.
    /// </summary>
    internal sealed class FileDownloader
    {
        private readonly RetryPolicy _policy;
        private readonly IZAiLog _log;
        private readonly DownloadLimits _limits;
        private readonly IClock _clock;
        private readonly HostConnections _hosts;
        private readonly TransferAttempt _attempt;

        /// <summary>The path length limit of this process; tests set Windows PowerShell 5.1's on any platform.</summary>
        internal PathLengthLimit PathLimit { get; set; } = PathLengthLimit.Current;

        public FileDownloader(HttpClient client, RetryPolicy policy, TimeSpan readTimeout, IZAiLog log, DownloadLimits? limits = null, IClock? clock = null, DownloadTuning? tuning = null, HostConnections? hosts = null)
            : this(() => client, policy, readTimeout, log, limits, clock, tuning, hosts)
        {
        }

        /// <param name="client">Asked for the media client at the first download (see <see cref="MediaRequestSender"/>).</param>
        public FileDownloader(Func<HttpClient> client, RetryPolicy policy, TimeSpan readTimeout, IZAiLog log, DownloadLimits? limits = null, IClock? clock = null, DownloadTuning? tuning = null, HostConnections? hosts = null)
        {
            _policy = policy;
            _log = log;
            _limits = limits ?? DownloadLimits.Default;
            _clock = clock ?? SystemClock.Instance;
            _hosts = hosts ?? HostConnections.Shared;
            Tuning = tuning ?? DownloadTuning.Default;
            _attempt = new TransferAttempt(new MediaRequestSender(client), Tuning, _limits, _hosts, _clock, readTimeout, log);
        }

        /// <summary>The clock of this downloader's waits and time limits; Save stamps its journal lines by it too.</summary>
        public IClock Clock => _clock;

        public DownloadTuning Tuning { get; }

        /// <summary>Validates a link before anything is sent.</summary>
        public static Uri CheckUrl(MediaItem item) => MediaUrl.Check(item);

        /// <returns>The full path of the saved file.</returns>
        public async Task<string> DownloadAsync(MediaItem item, string folder, DownloadProgress progress, CancellationToken cancellationToken)
        {
            if (item.Url is null) return InlineImageWriter.Write(item, NewPartial(item, folder), folder, PathLimit, _limits, progress);

            var uri = CheckUrl(item);
            var started = _clock.Elapsed;
            progress.Begin(started);
            var job = new DownloadJob(item, uri, NewPartial(item, folder), progress, new FileRun(started)) { Source = uri };
            _hosts.Acquire(uri);
            try
            {
                return await RetryAsync(job, folder, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _hosts.Release(uri);
            }
        }

        private Task<string> RetryAsync(DownloadJob job, string folder, CancellationToken cancellationToken)
        {
            var item = job.Item;
            var partial = job.Partial;
            var rangesAllowed = true;
            var failures = 0;
            var resumes = 0;
            var before = 0L;
            return new RetryLoop(_clock).RunAsync(async _ =>
            {
                before = job.Run.Received;
                var body = await _attempt.RunAsync(job, rangesAllowed, cancellationToken).ConfigureAwait(false);
                var final = MediaFileNames.Within(folder, item.BaseName + MediaFileNames.Extension(item.Kind, body.ContentType, item.Url), PathLimit);
                PartialPromotion.Promote(partial, final, body.Total, item);
                return final;
            }, (failure, _) =>
            {
                if (failure is RangesRefusedException ex && rangesAllowed)
                {
                    // Not a failure: the host cannot be trusted with ranges, so the whole file comes again over one connection.
                    rangesAllowed = false;
                    _log.Verbose($"{ex.Message}. Downloading the {item.Describe()} again over one connection.");
                    TransferAttempt.DeletePartial(job);
                    return RetryDecision.After(TimeSpan.Zero);
                }
                if (failure is LinkRefusedException link)
                {
                    throw DownloadErrors.WriteFailed(item, link.Path, link);
                }
                if (failure is ZAiMediaException error && error.IsTransient && !cancellationToken.IsCancellationRequested)
                {
                    // A failure after new bytes arrived does not use up a retry: resuming makes progress. Resumes are
                    // bounded on their own, so a host that sends a few bytes per attempt cannot keep this going forever.
                    if (job.Run.Received > before)
                    {
                        failures = 0;
                        resumes++;
                    }
                    string? gaveUp = null;
                    if (!_policy.ShouldRetry(error.IsTransient, failures)) gaveUp = $"Gave up after {failures + 1} attempts";
                    else if (resumes > _limits.MaxResumes) gaveUp = $"Gave up after {_limits.MaxResumes} resumes";
                    if (gaveUp != null)
                    {
                        // A proxy that stayed down keeps its own ErrorId: the admin looks at the proxy, not the media host.
                        var reason = error.Reason == MediaErrorReason.LengthMismatch || error.Reason == MediaErrorReason.ProxyConnectionFailed ? error.Reason : MediaErrorReason.DownloadFailed;
                        throw new ZAiMediaException(reason,
                            $"{error.Message} {gaveUp}{DownloadErrors.Kept(partial.KeptBytes())}.", item.Url, inner: error);
                    }
                    if (_limits.TooSlow(_clock.Elapsed - job.Run.Started, job.Run.Received))
                    {
                        throw DownloadErrors.TooSlow(item, job.Source, job.Run, _clock.Elapsed - job.Run.Started, _limits, partial.KeptBytes(), error);
                    }
                    var delay = _policy.Delay(failures, error.RetryAfter);
                    failures++;
                    _log.Verbose($"{error.Message} Resuming from byte {partial.KeptBytes()} in {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s (retry {failures} of {_policy.MaxRetries}).");
                    return RetryDecision.After(delay);
                }
                return RetryDecision.GiveUp;
            }, cancellationToken);
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

    /// <summary>What a complete body was: its Content-Type and announced length (null when none was announced).</summary>
    internal sealed class BodyInfo
    {
        public BodyInfo(string? contentType, long? total)
        {
            ContentType = contentType;
            Total = total;
        }

        public string? ContentType { get; }

        public long? Total { get; }
    }
}
