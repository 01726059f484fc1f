using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>What one input record of a submission command turns into.</summary>
    internal sealed class SubmissionPlan
    {
        public SubmissionPlan(GenerationRequest request, int occurrence, JournalEntry? recorded)
        {
            Request = request;
            Occurrence = occurrence;
            Recorded = recorded;
        }

        /// <summary>The request to send: under the journal's request id when the journal has it without a task.</summary>
        public GenerationRequest Request { get; }

        /// <summary>1 for the first time this request appears in the input, 2 for the second ...</summary>
        public int Occurrence { get; }

        /// <summary>The journal's record of this request, if any.</summary>
        public JournalEntry? Recorded { get; }

        /// <summary>Accepted in an earlier run: not sent again, its task goes down the pipeline.</summary>
        public bool AlreadyAccepted => Recorded?.TaskId != null;

        /// <summary>Recorded before a crash with no task id: sent again under the same request id.</summary>
        public bool Resubmission => Recorded != null && Recorded.TaskId is null;
    }

    /// <summary>
    /// A submission command's batch: each request is matched against the journal (if any), recorded before it
    /// is sent and after it is accepted, and queued under the account's limit of tasks in flight while this
    /// session's running tasks are watched so the next request goes as soon as room frees.
    /// </summary>
    internal sealed class SubmissionBatch : IDisposable
    {
        private readonly SubmissionJournal? _journal;
        private readonly Dictionary<string, int> _occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stopWatching = new CancellationTokenSource();
        private SubmissionClient? _client;
        private Task? _watching;
        private int _submitted;
        private int _disposed;

        public SubmissionBatch(SubmissionJournal? journal)
        {
            _journal = journal;
        }

        /// <summary>The account's room, once connected.</summary>
        public SubmissionCapacity? Capacity { get; private set; }

        /// <summary>True once <see cref="Connect"/> gave the batch a client (-WhatIf never does).</summary>
        public bool Connected => _client != null;

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
        public SubmissionPlan Plan(GenerationRequest request)
        {
            var key = request.Fingerprint();
            _occurrences.TryGetValue(key, out var seen);
            var occurrence = _occurrences[key] = seen + 1;
            var recorded = _journal?.Find(key, occurrence);
            var toSend = recorded != null && !request.RequestIdGiven ? request.WithRequestId(recorded.RequestId) : request;
            return new SubmissionPlan(toSend, occurrence, recorded);
        }

        /// <summary>What -WhatIf and -Verbose say about a planned request's place in the journal.</summary>
        public string? JournalNote(SubmissionPlan plan)
        {
            if (_journal is null) return null;
            if (plan.AlreadyAccepted) return $"already submitted as task '{TaskIdPath.Shown(plan.Recorded!.TaskId!)}' (journal line {plan.Recorded.Line}); not submitted again";
            if (plan.Resubmission) return $"recorded in the journal (line {plan.Recorded!.Line}) without a task id; submitted again under the same request id '{plan.Request.RequestId}'";
            return plan.Occurrence > 1 ? $"not in the journal yet (occurrence {plan.Occurrence} of this request)" : "not in the journal yet";
        }

        /// <summary>Submits the request (or returns the task the journal has for it), recording it as it goes.</summary>
        public async Task<AsyncResult> SubmitAsync(SubmissionPlan plan, CancellationToken cancellationToken)
        {
            var request = plan.Request;
            if (plan.AlreadyAccepted)
            {
                if (Capacity != null) AccountCapacities.Adopt(Capacity, plan.Recorded!.TaskId!);
                return AgentSubmission.Mark(AsyncResultParser.Parse(
                    System.Text.Json.JsonDocument.Parse($"{{\"id\":{Json(plan.Recorded!.TaskId!)},\"request_id\":{Json(request.RequestId)},\"model\":{Json(request.Model)},\"task_status\":\"PROCESSING\"}}").RootElement,
                    plan.Recorded.TaskId!,
                    DateTime.UtcNow), request);
            }

            JournalRecord? intent = null;
            if (_journal != null)
            {
                intent = JournalRecord.Submit(request, plan.Occurrence, DateTime.UtcNow);
                // A re-submission appends another submit line: the journal shows each time a request was sent.
                _journal.Append(intent);
            }
            AsyncResult result;
            try
            {
                result = await _client!.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ZAiApiException error) when (plan.Resubmission && error.Reason == ZAiErrorReason.DuplicateRequest)
            {
                throw new ZAiApiException(
                    ZAiErrorReason.DuplicateRequest,
                    $"{request.Subject}: the journal recorded this request (line {plan.Recorded!.Line}) but not its task id, and Z.AI already has a task for request id '{request.RequestId}': "
                    + "the earlier run's submission created it, but its task id was never received. Find the task by that request id in the Z.AI console.",
                    statusCode: error.StatusCode,
                    errorCode: error.ErrorCode,
                    apiMessage: error.ApiMessage,
                    requestId: request.RequestId);
            }
            if (intent != null) _journal!.Append(JournalRecord.Accepted(intent, result.Id, DateTime.UtcNow));
            Interlocked.Increment(ref _submitted);
            return result;
        }

        /// <summary>Stops watching and releases the journal and its lock; safe to call more than once.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _stopWatching.Cancel();
            try
            {
                _watching?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The watcher ends with OperationCanceledException.
            }
            _stopWatching.Dispose();
            _journal?.Dispose();
        }

        private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);
    }
}
