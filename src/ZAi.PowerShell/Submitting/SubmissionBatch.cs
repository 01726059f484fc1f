using ZAi.PowerShell.Journal;
using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Models;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// A submission command's batch: each request is matched against the journal (if any), recorded before it
    /// is sent and after it is accepted, and queued under the account's limit of tasks in flight while this
    /// session's running tasks are watched so the next request goes as soon as room frees. Known failures and
    /// requests whose task id never arrived are not sent again (unless -RetryFailed); a stop sends nothing new
    /// and gives the sends under way a bounded time to be answered and recorded.
    /// </summary>
    internal sealed class SubmissionBatch : IDisposable
    {
        /// <summary>How long a stop waits, by default, for submissions already sent to be answered and recorded (Ctrl+C must still return within 2 s).</summary>
        public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(1);

        private readonly Func<JournalFile?, JournalHandle>? _openJournal;
        private JournalFile? _readView;
        private JournalHandle? _journal;
        private readonly System.Collections.Generic.Dictionary<string, int> _occurrences = new System.Collections.Generic.Dictionary<string, int>(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stopWatching = new CancellationTokenSource();
        private readonly CancellationTokenSource _abandonSends = new CancellationTokenSource();
        private readonly object _sendsLock = new object();
        private readonly IClock _clock;
        // Only reservations not ended yet: a long run would otherwise keep one per request sent.
        private readonly System.Collections.Generic.HashSet<SpendReservation> _reservations = new System.Collections.Generic.HashSet<SpendReservation>();
        private SubmissionClient? _client;
        private Task? _watching;
        private int _submitted;
        private int _sending;
        private int _disposed;

        /// <param name="readView">The journal as read at the start (matching and -WhatIf), or null without a journal.</param>
        /// <param name="openJournal">Opens the journal for writing, at the first request that is sent or adopted: a command that sends nothing (-Confirm answered No) creates no journal and no lock file. It is given the read view, which the writer may read on from instead of reading the journal again.</param>
        /// <param name="retryFailed">Send again, under a new request id, the requests whose task failed in an earlier run.</param>
        public SubmissionBatch(JournalFile? readView = null, Func<JournalFile?, JournalHandle>? openJournal = null, bool retryFailed = false, IClock? clock = null)
        {
            _readView = readView;
            _openJournal = openJournal;
            RetryFailed = retryFailed;
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>The journal as this batch sees it now: the writer once open, else what was read at the start.</summary>
        public JournalFile? View => _journal?.Journal ?? _readView;

        /// <summary>
        /// Opens the journal for writing (once) and matches the plan again against it, since another process may
        /// have written it after it was read. Called on the cmdlet's thread before a request is sent or adopted.
        /// </summary>
        /// <exception cref="IOException">The journal is in use by another process, or cannot be written.</exception>
        public SubmissionPlan Commit(SubmissionPlan plan)
        {
            if (_openJournal is null) return plan;
            OpenWriter();
            return Match(plan.Original, plan.Occurrence, plan.Label);
        }

        public bool RetryFailed { get; }

        /// <summary>Opens the journal for writing, once; the writer is the batch's view from then on.</summary>
        private JournalFile OpenWriter()
        {
            if (_journal is null)
            {
                _journal = _openJournal!(_readView);
                // The view became the writer, or another command's writer serves: either way it is not held twice.
                if (!ReferenceEquals(_journal.Journal, _readView)) _readView?.Dispose();
                _readView = null;
            }
            return _journal.Journal;
        }

        /// <summary>How long a stop waits for submissions already sent to be answered and recorded.</summary>
        public TimeSpan StopGrace { get; set; } = DefaultStopGrace;

        /// <summary>Called (off the pipeline thread) when the journal could not record an accepted task: the task goes on, the error names it.</summary>
        public Action<ZAiApiException, SubmissionPlan>? JournalFailed { get; set; }

        /// <summary>The journal's full path, carried on results so Wait and Save add to the same ledger.</summary>
        public string? JournalPath => _journal?.Journal.Path;

        /// <summary>Requests counted by their key, to number the repeats of one for the journal.</summary>
        internal int KeysCounted => _occurrences.Count;

        /// <summary>Reservations of requests admitted and not yet recorded or released.</summary>
        internal int ReservationsHeld { get { lock (_reservations) return _reservations.Count; } }

        /// <summary>The account's room, once connected.</summary>
        public SubmissionCapacity? Capacity { get; private set; }

        /// <summary>True once <see cref="Connect"/> gave the batch a client (-WhatIf never does).</summary>
        public bool Connected => _client != null;

        /// <summary>How long a request may wait for room while nothing moves; null waits without a limit.</summary>
        public TimeSpan? QueueTimeout { get; set; } = TimeSpan.FromHours(1);

        /// <summary>Sends through <paramref name="client"/>, and watches this session's running tasks while requests queue.</summary>
        public void Connect(SubmissionClient client, SubmissionCapacity capacity, RunningTaskWatcher watcher)
        {
            _client = client;
            Capacity = capacity;
            _watching = Task.Run(() => watcher.RunAsync(_stopWatching.Token));
        }

        /// <summary>Requests accepted by the API in this command.</summary>
        public int Submitted => Volatile.Read(ref _submitted);

        /// <summary>Matches a request of the input against the journal; called on the cmdlet's thread in input order.</summary>
        public SubmissionPlan Plan(GenerationRequest request, string? label = null)
        {
            // Occurrences number repeated requests for a journal's lines; without one, counting them would keep a key per request for nothing.
            if (_readView is null && _openJournal is null) return Match(request, 1, label ?? string.Empty);
            var key = request.Fingerprint();
            _occurrences.TryGetValue(key, out var seen);
            var occurrence = seen + 1;
            var plan = Match(request, occurrence, label ?? string.Empty);
            // Counted under the journal's copy of the key when it has one: a re-run of a long journal keeps one string per request, not two.
            _occurrences[plan.Recorded?.Key ?? key] = occurrence;
            return plan;
        }

        private SubmissionPlan Match(GenerationRequest request, int occurrence, string label)
        {
            var recorded = View?.Find(request.Fingerprint(), occurrence);
            var action = PlanAction.Send;
            var toSend = request;
            string? requestIdNote = null;
            if (recorded != null)
            {
                switch (recorded.State)
                {
                    case LedgerState.Failed:
                    case LedgerState.Expired:
                        action = RetryFailed ? PlanAction.Send : PlanAction.KnownFailure;
                        // A new request id: under the earlier task's own, the API would answer 1231.
                        if (RetryFailed && recorded.HasRequestId(toSend.RequestId)) toSend = request.WithRequestId(Guid.NewGuid().ToString("N"));
                        break;
                    case LedgerState.Unknown:
                        action = PlanAction.KnownUnknown;
                        break;
                    case LedgerState.Refused:
                        // Never sent: this run's budget decides again, under the request id the journal recorded.
                        if (!request.RequestIdGiven) toSend = request.WithRequestId(recorded.RequestId);
                        break;
                    case LedgerState.Recorded when !request.Endpoint.TakesRequestId:
                        // No request id protects it: it may have created a billed task, and sending it again would
                        // create another. Like a lost answer, it is said and not sent.
                        action = PlanAction.KnownUnknown;
                        break;
                    case LedgerState.Recorded:
                        action = PlanAction.Resend;
                        // The request may have reached the API under the recorded id: only that id lets it answer with
                        // the same task instead of billing a second one.
                        if (request.RequestIdGiven && !recorded.HasRequestId(request.RequestId)) requestIdNote = $"-RequestId '{request.RequestId}' is not used: the journal recorded this request (line {recorded.Line}) under request id '{recorded.RequestId}', which it may already have reached Z.AI with; it is sent again under that id so it is not billed twice";
                        toSend = request.WithRequestId(recorded.RequestId);
                        break;
                    default:
                        action = PlanAction.Adopt;
                        if (!request.RequestIdGiven) toSend = request.WithRequestId(recorded.RequestId);
                        break;
                }
            }
            return new SubmissionPlan(toSend, occurrence, recorded, action, label, request) { RequestIdNote = requestIdNote };
        }

        /// <summary>
        /// Sets the request's price aside in the journal's spend, shared by every command of this process that writes
        /// the journal (thread jobs, runspaces), unless that spend would go over <paramref name="maximum"/>. Requests
        /// already counted by the journal (a resend under a recorded id) and batches without a journal always pass.
        /// On the cmdlet's thread, after <see cref="Commit"/>.
        /// </summary>
        public bool Reserve(SubmissionPlan plan, decimal? price, decimal? maximum, Func<string?, decimal?> priceOf, out decimal spent)
        {
            spent = 0;
            if (_journal is null || price is null || plan.Action != PlanAction.Send) return true;
            var reservation = _journal.Journal.TryReserve(price.Value, maximum, priceOf, out spent);
            if (reservation is null) return false;
            plan.Reservation = reservation;
            lock (_reservations) _reservations.Add(reservation);
            return true;
        }

        /// <summary>
        /// Records that the budget refused the request (opening the journal if need be), so the journal accounts for
        /// every prompt and a later run decides again. True when it is news: not refused in an earlier run.
        /// </summary>
        /// <exception cref="IOException">The journal is in use by another process, or cannot be opened.</exception>
        public bool RecordRefusal(SubmissionPlan plan, string reason)
        {
            if (plan.RefusedBefore) return false;
            if (_openJournal is null) return true;
            var journal = OpenWriter();
            var now = _clock.UtcNow;
            try
            {
                journal.Append(JournalRecord.Refused(JournalRecord.Submit(plan.Request, plan.Occurrence, now), reason, now));
            }
            catch (IOException)
            {
                // Nothing was sent; the next run decides again whether or not the line is there.
            }
            return true;
        }

        /// <summary>The journal this batch was the last in the process to use, once disposed: its batch's end is this command's to report.</summary>
        public JournalFile? ClosedLast { get; private set; }

        /// <summary>What -WhatIf and -Verbose say about a planned request's place in the journal.</summary>
        public string? JournalNote(SubmissionPlan plan)
        {
            if (View is null) return null;
            var recorded = plan.Recorded;
            switch (plan.Action)
            {
                case PlanAction.Adopt:
                    return $"already submitted as task '{TaskIdPath.Shown(recorded!.TaskId!)}' ({recorded.State}, journal line {recorded.Line}); not submitted again";
                case PlanAction.Resend:
                    return $"recorded in the journal (line {recorded!.Line}) without a task id; submitted again under the same request id '{plan.Request.RequestId}'";
                case PlanAction.KnownFailure:
                    if (recorded!.State == LedgerState.Expired) return $"its task '{TaskIdPath.Shown(recorded.TaskId ?? string.Empty)}' succeeded, but its links expired before its files were saved ({recorded.Reason ?? "no reason given"}; journal line {recorded.Line}); not submitted again: -RetryFailed submits it once more";
                    return $"its task '{TaskIdPath.Shown(recorded.TaskId ?? string.Empty)}' failed in an earlier run ({recorded.Reason ?? "no reason given"}; journal line {recorded.Line}); not submitted again: -RetryFailed submits it once more";
                case PlanAction.KnownUnknown:
                    if (recorded!.State == LedgerState.Recorded) return $"recorded in the journal (line {recorded.Line}) without an answer, and a {plan.Request.Endpoint.Noun} carries no request id the API could recognise it by: it may exist and be billed, so it is not submitted again; look for it in the Z.AI console";
                    return $"Z.AI holds its request id '{recorded!.RequestId}' but its task id never arrived (reported in an earlier run; journal line {recorded.Line}); not submitted again: find the task in the Z.AI console";
                default:
                    if (recorded?.State == LedgerState.Failed) return $"its task failed in an earlier run ({recorded.Reason ?? "no reason given"}); submitted again under a new request id (-RetryFailed)";
                    if (recorded?.State == LedgerState.Expired) return $"its task's links expired before its files were saved; submitted again under a new request id (-RetryFailed)";
                    if (recorded?.State == LedgerState.Refused) return $"refused by the budget in an earlier run (journal line {recorded.Line}); this run's -MaximumCost decides again";
                    return plan.Occurrence > 1 ? $"not in the journal yet (occurrence {plan.Occurrence} of this request)" : "not in the journal yet";
            }
        }

        /// <summary>Submits the request (or returns the task the journal has for it), recording it as it goes.</summary>
        public async Task<AsyncResult> SubmitAsync(SubmissionPlan plan, CancellationToken cancellationToken)
        {
            var request = plan.Request;
            if (plan.Action == PlanAction.Adopt)
            {
                var recorded = plan.Recorded!;
                if (Capacity != null && recorded.State == LedgerState.Submitted) Capacity.Adopt(recorded.TaskId!);
                // Its state is the journal's business: a Wait with the journal knows whether to poll it at all.
                return AgentSubmission.Mark(LedgerResult.Submitted(recorded.TaskId!, request.Model, request.RequestId, _clock.UtcNow), request, _client?.Account.Agents);
            }

            JournalRecord? intent;
            try
            {
                intent = RecordIntent(plan);
            }
            finally
            {
                // Recorded, its price is the journal's; not recorded, it was never sent.
                EndReservation(plan);
            }
            if (!TryStartSend(cancellationToken)) throw new OperationCanceledException(cancellationToken);
            AsyncResult result;
            try
            {
                try
                {
                    result = await _client!.SubmitAsync(request, cancellationToken, _abandonSends.Token, QueueTimeout).ConfigureAwait(false);
                }
                catch (ZAiApiException error) when ((error.Reason == ZAiErrorReason.DuplicateRequest || error.Reason == ZAiErrorReason.TaskIdLost) && intent != null && (plan.Action == PlanAction.Resend || !request.RequestIdGiven))
                {
                    throw RecordUnknown(plan, intent, error);
                }
                catch (ZAiApiException error) when (error.Reason == ZAiErrorReason.SubmissionOutcomeUnknown && intent != null)
                {
                    // Sent without a request id and never answered: it may be a billed task, so it is never sent again.
                    throw RecordUnknown(plan, intent, error);
                }
                Interlocked.Increment(ref _submitted);
                // Recorded before the send counts as ended, so a stop that waits for sends under way never closes the journal first.
                if (intent != null) RecordAccepted(plan, intent, result);
            }
            finally
            {
                EndSend();
            }
            return result;
        }

        /// <summary>Stops watching, waits (at most <see cref="StopGrace"/>) for sends under way to be recorded, and releases the journal; safe to call more than once.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _stopWatching.Cancel();
            var deadline = _clock.Elapsed + StopGrace;
            lock (_sendsLock)
            {
                while (_sending > 0)
                {
                    var left = deadline - _clock.Elapsed;
                    if (left <= TimeSpan.Zero) break;
                    Monitor.Wait(_sendsLock, left);
                }
            }
            _abandonSends.Cancel();
            try
            {
                _watching?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // A stop during one of the watcher's looks ends it with OperationCanceledException.
            }
            // Requests a stop kept from being recorded give back what they set aside in the shared spend.
            lock (_reservations)
            {
                foreach (var reservation in _reservations) reservation.Release();
                _reservations.Clear();
            }
            if (_journal != null && _journal.Release()) ClosedLast = _journal.Journal;
            // Nothing sent or adopted (every request known to have ended): the journal as read is where the batch
            // stands, and it is this command's to say unless another command of the process has the journal open.
            else if (_journal is null && _openJournal != null && _readView != null && !SharedJournals.IsOpen(_readView.Path)) ClosedLast = _readView;
            _readView?.Dispose();
        }

        /// <summary>Counts a send as under way unless the command is stopping (then nothing new is sent).</summary>
        private bool TryStartSend(CancellationToken cancellationToken)
        {
            lock (_sendsLock)
            {
                if (cancellationToken.IsCancellationRequested || Volatile.Read(ref _disposed) == 1) return false;
                _sending++;
                return true;
            }
        }

        private void EndSend()
        {
            lock (_sendsLock)
            {
                _sending--;
                Monitor.PulseAll(_sendsLock);
            }
        }

        private void EndReservation(SubmissionPlan plan)
        {
            if (plan.Reservation is null) return;
            plan.Reservation.Release();
            lock (_reservations) _reservations.Remove(plan.Reservation);
            plan.Reservation = null;
        }

        /// <summary>Writes the intent before anything is sent; a request whose intent is not on disk is not sent.</summary>
        private JournalRecord? RecordIntent(SubmissionPlan plan)
        {
            if (_journal is null) return null;
            // A re-submission appends another submit line: the journal shows each time a request was sent.
            var intent = JournalRecord.Submit(plan.Request, plan.Occurrence, _clock.UtcNow);
            try
            {
                _journal.Journal.Append(intent, plan.Reservation);
            }
            catch (IOException ex)
            {
                throw new ZAiApiException(
                    ZAiErrorReason.JournalWriteFailed,
                    $"Not submitted: the journal '{_journal.Journal.Path}' could not record the request before it was sent ({ex.Message}). Nothing was sent, so nothing is billed; make room and run the command again.",
                    requestId: plan.Request.RequestId);
            }
            return intent;
        }

        private void RecordAccepted(SubmissionPlan plan, JournalRecord intent, AsyncResult result)
        {
            try
            {
                _journal!.Journal.Append(JournalRecord.Accepted(intent, result.Id, _clock.UtcNow));
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException)
            {
                // InvalidOperationException: the journal was closed (a stop whose grace ran out) before the answer came.
                JournalFailed?.Invoke(new ZAiApiException(
                    ZAiErrorReason.JournalWriteFailed,
                    $"Task '{TaskIdPath.Shown(result.Id)}' was created (request id '{plan.Request.RequestId}'), but the journal '{_journal!.Journal.Path}' could not record it ({ex.Message}). "
                    + "The task goes on down the pipeline; the journal writes the line as soon as the disk takes it. If it never does, keep this task id: a re-run cannot learn it again.",
                    requestId: plan.Request.RequestId), plan);
            }
        }

        private ZAiApiException RecordUnknown(SubmissionPlan plan, JournalRecord intent, ZAiApiException error)
        {
            var outcomeUnknown = error.Reason == ZAiErrorReason.SubmissionOutcomeUnknown;
            var message = outcomeUnknown
                ? error.Message + " The journal records it as Unknown, and later runs do not send this request again."
                : $"Z.AI already has a task for request id '{plan.Request.RequestId}' (code {error.ErrorCode ?? "1231"}), but its task id never reached this module: "
                + "an earlier attempt's answer was lost (a time-out, a reset or a crash after the API created the task). The task exists and is billed; find it by its request id in the Z.AI console. "
                + "The journal records this, and later runs do not send this request again.";
            var reason = outcomeUnknown
                ? "sent without a request id and never answered (" + (error.StatusCode is int status ? "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer") + "); it may exist and be billed, so it is not sent again"
                : "task id never received (1231 on request id " + plan.Request.RequestId + ")";
            try
            {
                _journal!.Journal.Append(JournalRecord.Unknown(intent, reason, _clock.UtcNow));
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException)
            {
                message += " (The journal could not record it either: the next run reports it again.)";
            }
            // A task that exists and is billed but whose id is lost has an ErrorId of its own, apart from a request id reused.
            return new ZAiApiException(outcomeUnknown ? ZAiErrorReason.SubmissionOutcomeUnknown : ZAiErrorReason.TaskIdLost, message, statusCode: error.StatusCode, errorCode: error.ErrorCode, apiMessage: error.ApiMessage, requestId: plan.Request.RequestId);
        }
    }
}
