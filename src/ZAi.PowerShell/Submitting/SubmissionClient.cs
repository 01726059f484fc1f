using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Models;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// Submits generation tasks. Never creates a task twice by accident: every attempt of a request carries the
    /// same request id, a request id chosen by the user is submitted once per account of the connection, and the
    /// API's 1231 ("you already have a request") becomes an error that says which request id collided and whether
    /// an earlier attempt of this call most likely created the task (then ZAiTaskIdLost). A request without a
    /// request id (the agents API) is never resent once it may have reached the API (ZAiSubmissionOutcomeUnknown).
    /// </summary>
    internal sealed class SubmissionClient
    {
        private readonly ApiRequestSender _sender;
        private readonly RateLimitGate _gate;
        private readonly IZAiLog _log;
        private readonly SubmissionCapacity? _capacity;

        /// <param name="gate">Shared by a batch: a frequency or overload answer (1303, 1305) to one submission holds back the next ones.</param>
        /// <param name="capacity">The account's room for tasks in flight: submissions queue there instead of failing on 1302. Null sends at once and treats 1302 like any rate limit.</param>
        public SubmissionClient(ApiRequestSender sender, RateLimitGate gate, IZAiLog log, SubmissionCapacity? capacity = null)
        {
            _sender = sender;
            _gate = gate;
            _log = log;
            _capacity = capacity;
        }

        /// <summary>The account this client submits to (from its connection): its request ids and its agents' tasks.</summary>
        public AccountState Account => _sender.Settings.Account();

        /// <summary>The API's answer when the account has as many tasks in flight as it allows.</summary>
        internal static bool IsConcurrencyLimit(Exception error) => error is ZAiApiException api && api.ErrorCode == "1302";

        /// <param name="cancellationToken">Ends the wait for room or for a rate limit; once the request is sent, only <paramref name="sendToken"/> abandons it.</param>
        /// <param name="sendToken">Abandons a request already sent (its answer, and so its task id, may then be lost): a stop gives sends under way a grace period first.</param>
        /// <param name="queueTimeout">How long to wait for room while the queue does not move; <see cref="Timeout.InfiniteTimeSpan"/> waits without a limit; null takes the capacity's default.</param>
        public Task<AsyncResult> SubmitAsync(GenerationRequest request, CancellationToken cancellationToken, CancellationToken sendToken = default, TimeSpan? queueTimeout = null)
        {
            if (!sendToken.CanBeCanceled) sendToken = cancellationToken;
            if (!request.RequestIdGiven) return SendAsync(request, cancellationToken, sendToken, queueTimeout);
            var submission = Account.Requests.GetOrSubmit(request, () => SendAsync(request, cancellationToken, sendToken, queueTimeout), out var reused);
            if (!reused) return submission;
            request.ReusedEarlierSubmission = true;
            _log.Verbose($"{request.Subject} for '{request.ShortPrompt()}' was already submitted in this session with the same fields; no new task is created, the existing one is returned.");
            return AwaitSharedAsync(submission, request, cancellationToken);
        }

        /// <summary>Failures after which the server may have created the task although no answer said so.</summary>
        internal static bool IsAmbiguous(ZAiApiException error)
        {
            return error.Reason == ZAiErrorReason.Timeout
                || error.Reason == ZAiErrorReason.ConnectionFailed
                || (error.StatusCode >= 500 && error.StatusCode <= 599);
        }

        /// <summary>Another command's submission of the same request: its cancellation is not this command's.</summary>
        private static async Task<AsyncResult> AwaitSharedAsync(Task<AsyncResult> shared, GenerationRequest request, CancellationToken cancellationToken)
        {
            try
            {
                return await shared.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ZAiApiException(
                    ZAiErrorReason.Unknown,
                    $"{request.Subject}: another command was submitting the same request and was stopped, so whether the task exists is not known. Run the command again.",
                    requestId: request.RequestId);
            }
        }

        private async Task<AsyncResult> SendAsync(GenerationRequest request, CancellationToken cancellationToken, CancellationToken sendToken, TimeSpan? queueTimeout)
        {
            if (_capacity is null)
            {
                await WaitForRateLimitAsync(request, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                return await SendOnceAsync(request, sendToken).ConfigureAwait(false);
            }
            // The waits between 1302 answers are the capacity's (a refused request queues again at its place in line): the loop itself never waits here.
            var place = new QueuePlace();
            var result = await new RetryLoop(_sender.Clock).RunAsync(async refusals =>
            {
                if (refusals == 0 && _capacity.Limit is int limit && _capacity.Running + _capacity.Sending >= limit)
                {
                    _log.Verbose($"{request.Subject}: queued: the account allows about {limit} task(s) in flight and {_capacity.Running} of this session's are running; it is sent when one finishes.");
                }
                await _capacity.AcquireAsync(cancellationToken, place, queueTimeout).ConfigureAwait(false);
                try
                {
                    await WaitForRateLimitAsync(request, cancellationToken).ConfigureAwait(false);
                    // A stop that came while the request waited sends nothing.
                    cancellationToken.ThrowIfCancellationRequested();
                    return await SendOnceAsync(request, sendToken).ConfigureAwait(false);
                }
                catch (Exception error) when (!IsConcurrencyLimit(error))
                {
                    _capacity.Abandoned();
                    throw;
                }
            }, (failure, _) =>
            {
                if (!IsConcurrencyLimit(failure)) return RetryDecision.GiveUp;
                _capacity.Refused();
                _log.Verbose(_capacity.Running > 0
                    ? $"{request.Subject}: the account is at its limit of tasks in flight (1302, nothing created); queued until one of this session's {_capacity.Running} running task(s) finishes."
                    : $"{request.Subject}: the account is at its limit of tasks in flight (1302, nothing created) with none of this session's running; trying again after a pause.");
                return RetryDecision.After(TimeSpan.Zero);
            }, cancellationToken).ConfigureAwait(false);
            _capacity.Accepted(result.Id);
            return result;
        }

        private async Task<AsyncResult> SendOnceAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            var body = request.ToJson();
            ZAiApiException? ambiguous = null;
            try
            {
                using var document = await _sender.SendAsync(
                    HttpMethod.Post,
                    request.Endpoint.Path,
                    request.Subject,
                    () => JsonContent(body),
                    cancellationToken,
                    beforeRetry: error =>
                    {
                        if (ambiguous is null && IsAmbiguous(error)) ambiguous = error;
                    },
                    handledByCaller: error => _capacity != null && IsConcurrencyLimit(error),
                    resendable: request.Endpoint.TakesRequestId).ConfigureAwait(false);
                // The task id first, before anything else: each step between the answer and the journal's line widens the window in which a stop loses a billed task.
                var result = Read(document.RootElement, request);
                _gate.OnSuccess();
                return result;
            }
            catch (ZAiApiException error) when (error.Reason == ZAiErrorReason.DuplicateRequest)
            {
                throw Duplicate(request, error, ambiguous);
            }
        }

        private async Task WaitForRateLimitAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            var wait = _gate.Remaining();
            if (wait <= TimeSpan.Zero) return;
            _log.Verbose($"{request.Subject}: waiting {wait.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s because the API reported a rate limit.");
            await _gate.WaitUntilOpenAsync(cancellationToken).ConfigureAwait(false);
        }

        private static HttpContent JsonContent(byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        private AsyncResult Read(JsonElement root, GenerationRequest request)
        {
            if (request.Endpoint.IsAgent) return AgentSubmission.Read(root, request, _sender.Clock.UtcNow, Account.Agents);
            var id = JsonValueConverter.StringProperty(root, "id");
            if (string.IsNullOrEmpty(id))
            {
                throw new ZAiApiException(
                    ZAiErrorReason.InvalidResponse,
                    $"{request.Subject}: the API accepted the request but its response has no task id. The task may exist; its request id is '{request.RequestId}'.",
                    requestId: request.RequestId);
            }
            var result = AsyncResultParser.Parse(root, id!, _sender.Clock.UtcNow);
            if (result.Model is null || result.RequestId is null)
            {
                // A sparse response still yields a usable result: fill in what this client sent.
                result = result.WithSubmission(request.Model, request.RequestId);
            }
            return result;
        }

        private static ZAiApiException Duplicate(GenerationRequest request, ZAiApiException error, ZAiApiException? ambiguous)
        {
            var cause = ambiguous is null
                ? request.RequestIdGiven
                    ? "It was used for an earlier submission, so no new task was created."
                    : "No new task was created."
                : $"An earlier attempt of this call failed after sending the request ({ambiguous.Message}), so that attempt most likely created the task; "
                  + "its task id cannot be looked up by request id.";
            // An earlier attempt of this call most likely created the task: a task that exists, is billed, and whose id is lost.
            return new ZAiApiException(
                ambiguous is null ? ZAiErrorReason.DuplicateRequest : ZAiErrorReason.TaskIdLost,
                $"{request.Subject}: Z.AI already has a request with this request id (code {error.ErrorCode}). {cause}",
                statusCode: error.StatusCode,
                errorCode: error.ErrorCode,
                apiMessage: error.ApiMessage,
                requestId: request.RequestId);
        }
    }
}
