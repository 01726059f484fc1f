using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Fetches the incomplete ranges of a preallocated partial file over several connections at once, each range
    /// asked with If-Range and written in place only when the answer is exactly that range of the same file. The
    /// ledger is saved as ranges progress, so a stop, a kill or a failure loses at most the last second of work. Any
    /// other answer (200, another range, length or validator, 416) throws <see cref="RangesRefusedException"/>:
    /// the caller starts again over one connection.
    /// </summary>
    internal sealed class RangedDownload
    {
        private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);
        private readonly MediaRequestSender _sender;
        private readonly BodyCopier _copier;
        private readonly DownloadTuning _tuning;
        private readonly HostConnections _hosts;
        private readonly IClock _clock;
        private readonly TimeSpan _readTimeout;
        private readonly IZAiLog _log;

        public RangedDownload(MediaRequestSender sender, BodyCopier copier, DownloadTuning tuning, HostConnections hosts, IClock clock, TimeSpan readTimeout, IZAiLog log)
        {
            _log = log;
            _sender = sender;
            _copier = copier;
            _tuning = tuning;
            _hosts = hosts;
            _clock = clock;
            _readTimeout = readTimeout;
        }

        /// <summary>
        /// <see cref="RunAsync"/>, then closes the partial file; an HTML body or a file over the maximum also removes it
        /// (after closing: Windows cannot delete an open file), as a single-connection download does.
        /// </summary>
        public async Task RunAndCloseAsync(DownloadJob job, RangeLedger ledger, PartialWriter writer, HttpResponseMessage? first, CancellationToken cancellationToken)
        {
            try
            {
                using (writer) await RunAsync(job, ledger, writer, first, cancellationToken).ConfigureAwait(false);
            }
            catch (ZAiMediaException error) when (error.Reason == MediaErrorReason.TooLarge || error.Reason == MediaErrorReason.UnexpectedContent)
            {
                job.Partial.Delete();
                throw;
            }
        }

        /// <param name="first">
        /// An open 200 answer for the whole file. It serves the first range and goes on into the next ones as long as
        /// no other connection has taken them. Further connections start only if, after the probe time, the rest
        /// of the file would take longer than <see cref="DownloadTuning.WorthSplitting"/> at the rate this one gets:
        /// on a fast link one stream is quicker than several.
        /// </param>
        public async Task RunAsync(DownloadJob job, RangeLedger ledger, PartialWriter writer, HttpResponseMessage? first, CancellationToken cancellationToken)
        {
            job.Progress.SetTotal(ledger.Total);
            job.Progress.Reset(ledger.DoneBytes);
            var checkpoint = new Checkpoint(job.Partial, ledger, _clock);
            using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var run = new Run(this, job, ledger, writer, checkpoint, siblings);
            var workers = new List<Task<Exception?>>();
            int toGo; // counted before the connections start: a fast one may finish a range before the line is written
            if (first != null && _tuning.ProbeTime > TimeSpan.Zero)
            {
                workers.Add(run.WorkAsync(first, releases: false));
                var receivedBefore = job.Run.Received;
                var probeStarted = _clock.Elapsed;
                using (var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var probed = _clock.Delay(_tuning.ProbeTime, probe.Token);
                    await Task.WhenAny(workers[0], probed).ConfigureAwait(false);
                    probe.Cancel();
                }
                var seconds = Math.Max((_clock.Elapsed - probeStarted).TotalSeconds, 0.001);
                var received = job.Run.Received - receivedBefore;
                var rate = received / seconds;
                var left = ledger.Total - ledger.DoneBytes;
                var verdict = RangePlanner.AfterProbe(workers[0].IsCompleted, workers[0].IsCompleted && workers[0].Result != null, rate, left, _tuning);
                if (verdict == ProbeVerdict.FirstBroke)
                {
                    // The first connection ended early with an error: no rate to judge by, and the rest is still to fetch.
                    _log.Verbose($"The first connection to {job.Source.Host} for the {job.Item.Describe()} broke after {received} bytes, before its rate was known; the other ranges come over further connections.");
                }
                else if (verdict == ProbeVerdict.OneConnection)
                {
                    _log.Verbose(workers[0].IsCompleted
                        ? $"Downloaded the {job.Item.Describe()} from {job.Source.Host} over one connection: it came whole within {seconds:0.0#} s."
                        : $"Downloading the {job.Item.Describe()} from {job.Source.Host} over one connection: at {(long)rate} bytes/s the rest takes under {_tuning.WorthSplitting.TotalSeconds:0.#} s.");
                    await FinishAsync(job, ledger, checkpoint, workers, cancellationToken).ConfigureAwait(false);
                    return;
                }
                toGo = ledger.Incomplete().Count();
                AddConnections(job, run, workers, Math.Min(_tuning.ConnectionsPerFile, run.Unclaimed + 1) - 1);
            }
            else
            {
                // No probe: the other connections take their ranges before the first answer's stream starts, so the
                // split does not depend on how fast that stream runs through the first range.
                var others = Math.Min(_tuning.ConnectionsPerFile, run.Unclaimed) - 1;
                toGo = ledger.Incomplete().Count();
                if (first is null)
                {
                    // A resumed file: its own connection (outside the host's limit, like the first answer's) takes a range too.
                    var own = run.NewConnection();
                    workers.Add(run.ClaimNext(own, out var index) ? run.WorkAsync(null, releases: false, own, index) : run.WorkAsync(null, releases: false, own));
                    AddConnections(job, run, workers, others);
                }
                else
                {
                    AddConnections(job, run, workers, others);
                    workers.Insert(0, run.WorkAsync(first, releases: false));
                }
            }
            _log.Verbose($"Downloading the {job.Item.Describe()} from {job.Source.Host} over {workers.Count} connection(s): {toGo} of {ledger.Count} ranges of {ledger.Total} bytes to go.");
            await FinishAsync(job, ledger, checkpoint, workers, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Opens up to <paramref name="count"/> more connections, within the host's limit, each with its first range already taken.</summary>
        private void AddConnections(DownloadJob job, Run run, List<Task<Exception?>> workers, int count)
        {
            for (var i = 0; i < count && _hosts.TryAcquire(job.Source, _tuning.MaxConnectionsPerHost); i++)
            {
                // Taken now, not when the task first runs: a connection already reading would otherwise race it for the
                // ranges, and the split would depend on thread timing.
                var connection = run.NewConnection();
                if (!run.ClaimNext(connection, out var index))
                {
                    _hosts.Release(job.Source);
                    break;
                }
                workers.Add(run.WorkAsync(null, releases: true, connection, index));
            }
        }

        private static async Task FinishAsync(DownloadJob job, RangeLedger ledger, Checkpoint checkpoint, List<Task<Exception?>> workers, CancellationToken cancellationToken)
        {
            var errors = await Task.WhenAll(workers).ConfigureAwait(false);
            checkpoint.Save(force: true);
            cancellationToken.ThrowIfCancellationRequested();
            var failures = errors.Where(e => e != null && !(e is OperationCanceledException)).Select(e => e!).ToList();
            var fatal = failures.FirstOrDefault(IsFatal) ?? failures.FirstOrDefault();
            if (fatal != null) throw Rethrowable(fatal);
            if (!ledger.Complete)
            {
                throw DownloadErrors.Transient(job.Item, $"{ledger.Incomplete().Count()} of {ledger.Count} ranges are incomplete");
            }
        }

        private static bool IsFatal(Exception ex) => !(ex is ZAiMediaException media) || !media.IsTransient;

        private static Exception Rethrowable(Exception ex) => ex is ZAiMediaException || ex is RangesRefusedException || ex is LinkRefusedException
            ? ex
            : new AggregateException(ex);

        /// <summary>One ranged download in progress: its connections, and which bytes each writes (<see cref="RangeSharing"/>).</summary>
        private sealed class Run
        {
            private readonly RangedDownload _owner;
            private readonly DownloadJob _job;
            private readonly RangeLedger _ledger;
            private readonly PartialWriter _writer;
            private readonly Checkpoint _checkpoint;
            private readonly CancellationTokenSource _siblings;
            private readonly RangeSharing _sharing;
            private readonly ConcurrentDictionary<int, CancellationTokenSource> _stops = new ConcurrentDictionary<int, CancellationTokenSource>();
            private int _connections;

            public Run(RangedDownload owner, DownloadJob job, RangeLedger ledger, PartialWriter writer, Checkpoint checkpoint, CancellationTokenSource siblings)
            {
                _owner = owner;
                _job = job;
                _ledger = ledger;
                _writer = writer;
                _checkpoint = checkpoint;
                _siblings = siblings;
                _sharing = new RangeSharing(ledger, owner._clock, new ResplitRules(owner._tuning.ResplitAfter, owner._tuning.WorthSplitting, DownloadTuning.MinimumResplitPiece));
            }

            /// <summary>Incomplete ranges no connection has taken yet.</summary>
            public int Unclaimed => _sharing.Unclaimed;

            public int NewConnection() => Interlocked.Increment(ref _connections);

            public bool ClaimNext(int connection, out int index) => _sharing.TryClaimFree(connection, out index);

            /// <summary>
            /// One connection: a range already taken for it, or with an open answer the first range and the ones after it
            /// nobody took; then free ranges until none is left; then parts of slow ranges, while any is in progress.
            /// </summary>
            public async Task<Exception?> WorkAsync(HttpResponseMessage? first, bool releases, int connection = 0, int? claimed = null)
            {
                if (connection == 0) connection = NewConnection();
                var stop = CancellationTokenSource.CreateLinkedTokenSource(_siblings.Token);
                _stops[connection] = stop;
                await Task.Yield();
                try
                {
                    if (claimed is int mine && !_siblings.IsCancellationRequested) await FetchAsync(connection, mine, stop.Token).ConfigureAwait(false);
                    if (first != null)
                    {
                        using (first)
                        using (var body = await first.Content.ReadAsStreamAsync().ConfigureAwait(false))
                        {
                            var position = 0L;
                            while (!stop.IsCancellationRequested && _sharing.TryClaimAt(connection, position, out var index))
                            {
                                await CopyAsync(connection, index, first, body, stop.Token).ConfigureAwait(false);
                                var range = _ledger[index];
                                position = range.Start + range.Length;
                            }
                        }
                    }
                    while (!stop.IsCancellationRequested)
                    {
                        if (_sharing.TryClaimFree(connection, out var next))
                        {
                            await FetchAsync(connection, next, stop.Token).ConfigureAwait(false);
                            continue;
                        }
                        if (!_owner._tuning.Resplits || !await TakeOverAsync(connection, stop.Token).ConfigureAwait(false)) break;
                    }
                    return null;
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // Stopped: a faster connection took over what it had left, or another connection failed (that
                    // failure is the one to report), or the command stopped. Stopping disposes its answer, so the read
                    // may end in any error rather than a cancellation, a NullReferenceException among them: none of them
                    // is a failure of the file, and reporting one would hide a refused range behind a crash.
                    return null;
                }
                catch (Exception ex)
                {
                    if (IsFatal(ex) && !(ex is OperationCanceledException)) _siblings.Cancel();
                    return ex;
                }
                finally
                {
                    _sharing.Leave(connection);
                    _stops.TryRemove(connection, out _);
                    stop.Dispose();
                    if (releases) _owner._hosts.Release(_job.Source);
                }
            }

            /// <summary>
            /// With no free range left: takes over part of a slow one and fetches it, or waits for a range to end or
            /// become slow enough; false when nothing is in progress any more.
            /// </summary>
            private async Task<bool> TakeOverAsync(int connection, CancellationToken token)
            {
                var changed = _sharing.Changed;
                var handover = _sharing.TryTakeOver(connection);
                if (handover != null)
                {
                    var slow = double.IsPositiveInfinity(handover.VictimSecondsLeft) ? "has received nothing" : $"would take {handover.VictimSecondsLeft:0} s more";
                    _owner._log.Verbose($"A connection to {_job.Source.Host} takes over bytes {handover.Start}-{handover.End - 1} of the {_job.Item.Describe()}: the connection on them {slow}.");
                    if (handover.VictimStops && _stops.TryGetValue(handover.Victim, out var victim))
                    {
                        try
                        {
                            victim.Cancel();
                        }
                        catch (ObjectDisposedException)
                        {
                            // It ended meanwhile.
                        }
                    }
                    await FetchAsync(connection, handover.Index, token).ConfigureAwait(false);
                    return true;
                }
                if (!_sharing.AnyInProgress) return false;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    var tick = _owner._clock.Delay(ResplitCheck(_owner._tuning.ResplitAfter), wait.Token);
                    await Task.WhenAny(changed, tick).ConfigureAwait(false);
                    wait.Cancel();
                }
                token.ThrowIfCancellationRequested();
                return true;
            }

            private static TimeSpan ResplitCheck(TimeSpan after) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, after.Ticks / 4));

            private async Task FetchAsync(int connection, int index, CancellationToken token)
            {
                var range = _ledger[index];
                var from = range.Start + range.Done;
                var item = _job.Item;
                using var send = CancellationTokenSource.CreateLinkedTokenSource(token);
                send.CancelAfter(_owner._readTimeout);
                HttpResponseMessage response;
                try
                {
                    response = await _owner._sender.SendAsync(item, _job.Source, request =>
                    {
                        request.Headers.Range = new RangeHeaderValue(from, range.End);
                        request.Headers.TryAddWithoutValidation("If-Range", _ledger.Record.Validator);
                    }, send.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!token.IsCancellationRequested && (ex is HttpRequestException || ex is IOException || ex is OperationCanceledException))
                {
                    _sharing.Release(connection, index);
                    throw DownloadErrors.Transient(item, $"could not reach {_job.Source.Host}: {DownloadErrors.Innermost(ex).Message}");
                }
                send.CancelAfter(Timeout.Infinite);
                using (response)
                {
                    var verdict = RangeResponse.Classify((int)response.StatusCode, from, range.End, _ledger.Total, _ledger.Record.Validator,
                        response.Content.Headers.ContentRange, response.Content.Headers.ContentLength, MediaValidator.Answered(response, _ledger.Record.Validator));
                    switch (verdict)
                    {
                        case RangeVerdict.Continues:
                            using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                            {
                                await CopyAsync(connection, index, response, body, token).ConfigureAwait(false);
                            }
                            return;
                        case RangeVerdict.Failed:
                            _sharing.Release(connection, index);
                            throw DownloadErrors.ForStatus(item, _job.Source, response);
                        default:
                            _sharing.Release(connection, index);
                            throw new RangesRefusedException($"{_job.Source.Host} answered the range {from}-{range.End} with {Describe(response, _ledger.Record.Validator)}, not that range of the same file");
                    }
                }
            }

            /// <summary>Copies the range's bytes from the body, as many as it holds (fewer when part of it was taken over meanwhile).</summary>
            private async Task CopyAsync(int connection, int index, HttpResponseMessage response, Stream body, CancellationToken token)
            {
                var range = _ledger[index];
                try
                {
                    await _owner._copier.CopyAsync(_job, response, body, _writer, range.Start + range.Done, range.Length - range.Done, written =>
                    {
                        _ledger.Advance(index, written);
                        _checkpoint.Save(force: false);
                    }, token, read => _sharing.Allow(connection, index, read)).ConfigureAwait(false);
                }
                finally
                {
                    _sharing.Release(connection, index);
                }
                _checkpoint.Save(force: true);
            }

            private static string Describe(HttpResponseMessage response, string validator)
            {
                var status = (int)response.StatusCode;
                if (status == 200) return "the whole file (HTTP 200: ranges ignored, or the file changed)";
                if (status == 416) return "HTTP 416";
                return $"HTTP 206 for {response.Content.Headers.ContentRange?.ToString() ?? "no Content-Range"} ({RangeResponse.Mismatch(response, validator)})";
            }
        }

        /// <summary>Saves the ledger at most once a second while ranges progress, and at once when asked.</summary>
        private sealed class Checkpoint
        {
            private readonly PartialFile _partial;
            private readonly RangeLedger _ledger;
            private readonly Pacer _pacer;
            private readonly object _gate = new object();

            public Checkpoint(PartialFile partial, RangeLedger ledger, IClock clock)
            {
                _partial = partial;
                _ledger = ledger;
                _pacer = new Pacer(clock, CheckpointEvery, holdFirst: true);
            }

            public void Save(bool force)
            {
                if (!_pacer.TryPass(force)) return;
                lock (_gate)
                {
                    try
                    {
                        _partial.WriteLedger(_ledger);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw new ZAiMediaException(MediaErrorReason.WriteFailed, $"Could not record the progress of the download in '{_partial.RangesPath}': {ex.Message}", null, inner: ex);
                    }
                }
            }
        }
    }
}
