using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Errors;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Sends one API request with the bearer key, Accept-Language and per-attempt timeout, retries transient
    /// failures per <see cref="RetryPolicy"/>, and turns every failure into a <see cref="ZAiApiException"/>.
    /// Returns the parsed JSON body of a successful response.
    /// </summary>
    internal sealed class ApiRequestSender
    {
        private static readonly string UserAgent = "ZAi-PowerShell/" + typeof(ApiRequestSender).Assembly.GetName().Version?.ToString(3);
        private static readonly string[] RequestIdHeaders = { "x-request-id", "x-log-id", "request-id" };

        private readonly ConnectionSettings _settings;
        private readonly ApiKey _apiKey;
        private readonly Lazy<HttpClient> _client;
        private readonly RetryPolicy _policy;
        private readonly RetryLoop _retries;
        private readonly IZAiLog _log;
        private readonly Action<ZAiApiException>? _onTransientFailure;
        private readonly FailureLatch _latch = new FailureLatch();

        /// <param name="onTransientFailure">Told of every transient failure, retried or not (Wait uses it to slow down on 429).</param>
        /// <param name="clock">Times the waits between retries; the system clock unless a test runs them in virtual time.</param>
        public ApiRequestSender(ConnectionSettings settings, IZAiLog log, Action<ZAiApiException>? onTransientFailure = null, IClock? clock = null)
        {
            Clock = clock ?? SystemClock.Instance;
            _onTransientFailure = onTransientFailure;
            _settings = settings;
            _apiKey = settings.RequireApiKey();
            // Built at the first send: a re-run whose journal answers everything never loads the HTTP stack.
            _client = new Lazy<HttpClient>(() => HttpClientCache.For(settings.BaseUri, settings.ConnectTimeout, settings.Proxy));
            _policy = new RetryPolicy(settings.MaxRetries);
            _retries = new RetryLoop(Clock);
            _log = log;
        }

        public ConnectionSettings Settings => _settings;

        /// <summary>The clock of this sender's retries.</summary>
        public IClock Clock { get; }

        /// <param name="method">HTTP method.</param>
        /// <param name="relativePath">Path below the base URI, already escaped.</param>
        /// <param name="subject">What the call is about, for messages: "Task 'abc'".</param>
        /// <param name="content">Builds the body for each attempt (null for none).</param>
        /// <param name="cancellationToken">Cancels the call, including waits between retries.</param>
        /// <param name="beforeRetry">Told of each failed attempt that is about to be retried (submissions use it to know an earlier attempt may have reached the server).</param>
        /// <param name="handledByCaller">Failures the caller deals with itself: never retried here (submissions queue on 1302).</param>
        /// <param name="resendable">
        /// False for a request that carries no idempotency key and creates something billed (a POST to the agents API):
        /// once it may have reached the API it is never sent again, and a failure that leaves its outcome open ends as
        /// <see cref="ZAiErrorReason.SubmissionOutcomeUnknown"/>. Only a failure before a byte was sent is retried.
        /// </param>
        public Task<JsonDocument> SendAsync(
            HttpMethod method,
            string relativePath,
            string subject,
            Func<HttpContent>? content,
            CancellationToken cancellationToken,
            Action<ZAiApiException>? beforeRetry = null,
            Func<ZAiApiException, bool>? handledByCaller = null,
            bool resendable = true)
        {
            return _latch.RunAsync(() => SendWithRetriesAsync(method, relativePath, subject, content, cancellationToken, beforeRetry, handledByCaller, resendable), subject, cancellationToken);
        }

        /// <summary>
        /// Failures after which the API may have acted on the request although no answer said so: a time-out, a
        /// connection lost after sending, a 5xx (a gateway may answer 502 for a request the API carried out), or a
        /// success whose body cannot be read.
        /// </summary>
        internal static bool MayHaveReachedApi(ZAiApiException error)
        {
            if (error.NothingSent) return false;
            return error.Reason == ZAiErrorReason.Timeout
                || error.Reason == ZAiErrorReason.ConnectionFailed
                || error.StatusCode >= 500
                || (error.Reason == ZAiErrorReason.InvalidResponse && (error.StatusCode is null || (error.StatusCode >= 200 && error.StatusCode <= 299)));
        }

        private static ZAiApiException OutcomeUnknown(string subject, ZAiApiException error)
        {
            return new ZAiApiException(
                ZAiErrorReason.SubmissionOutcomeUnknown,
                $"{subject}: the request may have reached Z.AI, but no answer said what became of it ({error.Message}). "
                + "It is not sent again: this request carries no request id, so Z.AI cannot recognise a second send, and each would be a new billed task. The task may exist and be billed.",
                statusCode: error.StatusCode,
                errorCode: error.ErrorCode,
                apiMessage: error.ApiMessage,
                requestId: error.RequestId,
                innerException: error);
        }

        private Task<JsonDocument> SendWithRetriesAsync(
            HttpMethod method,
            string relativePath,
            string subject,
            Func<HttpContent>? content,
            CancellationToken cancellationToken,
            Action<ZAiApiException>? beforeRetry,
            Func<ZAiApiException, bool>? handledByCaller,
            bool resendable)
        {
            var uri = new Uri(_settings.BaseUri, relativePath);
            return _retries.RunAsync(
                _ => SendOnceAsync(method, uri, subject, content, cancellationToken),
                (failure, retry) => Classify(failure, retry, subject, beforeRetry, handledByCaller, resendable),
                cancellationToken);
        }

        /// <summary>Whether a failed attempt is sent again, and after how long; a request that must not be resent ends in <see cref="OutcomeUnknown"/>.</summary>
        private RetryDecision Classify(Exception failure, int retry, string subject, Action<ZAiApiException>? beforeRetry, Func<ZAiApiException, bool>? handledByCaller, bool resendable)
        {
            if (!(failure is ZAiApiException error)) return RetryDecision.GiveUp;
            if (!resendable && MayHaveReachedApi(error))
            {
                NotifyTransient(error);
                throw OutcomeUnknown(subject, error);
            }
            if (handledByCaller?.Invoke(error) ?? false) return RetryDecision.GiveUp;
            NotifyTransient(error);
            if (!_policy.ShouldRetry(error, retry)) return RetryDecision.GiveUp;
            beforeRetry?.Invoke(error);
            var delay = _policy.Delay(retry, error.RetryAfter);
            var why = error.RetryAfter.HasValue ? "as Retry-After asks" : "backing off";
            _log.Verbose($"{subject}: {Describe(error)}; retry {retry + 1} of {_policy.MaxRetries} in {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({why}).");
            return RetryDecision.After(delay);
        }

        private void NotifyTransient(ZAiApiException error)
        {
            if (error.IsTransient) _onTransientFailure?.Invoke(error);
        }

        private async Task<JsonDocument> SendOnceAsync(
            HttpMethod method,
            Uri uri,
            string subject,
            Func<HttpContent>? content,
            CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey.Reveal());
            request.Headers.TryAddWithoutValidation("Accept-Language", _settings.Language);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            if (content != null) request.Content = content();

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_settings.RequestTimeout);
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await _client.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                byte[] body;
                using (attempt.Token.Register(response.Dispose))
                {
                    body = await ResponseBody.ReadAsync(response.Content, attempt.Token).ConfigureAwait(false);
                }
                // Everything the server sent is masked once, here, before any stream or message can show it.
                var requestId = ServerText.PrintableOrNull(SecretRedactor.RedactOrNull(HeaderRequestId(response), _apiKey));
                _log.Debug($"{method} {uri.AbsoluteUri} -> {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms, {body.Length} bytes{(requestId is null ? string.Empty : ", request id " + requestId)}.");
                return Interpret(response, body, requestId, subject);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is ObjectDisposedException && attempt.IsCancellationRequested))
            {
                throw new ZAiApiException(
                    ZAiErrorReason.Timeout,
                    $"{subject}: no complete response within {_settings.RequestTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (request timeout).",
                    isTransient: true);
            }
            catch (ProxyFailureException ex)
            {
                throw new ZAiApiException(
                    ex.Kind == ProxyFailureKind.AuthenticationRequired ? ZAiErrorReason.ProxyAuthenticationRequired : ZAiErrorReason.ProxyConnectionFailed,
                    $"{subject}: {ex.Message}.",
                    statusCode: ex.StatusCode,
                    isTransient: ex.IsTransient);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
            {
                var detail = SecretRedactor.Redact(Innermost(ex).Message, _apiKey);
                throw new ZAiApiException(
                    ZAiErrorReason.ConnectionFailed,
                    $"{subject}: the connection to {uri.Host} failed: {detail}",
                    isTransient: true,
                    innerException: null)
                {
                    NothingSent = FailedBeforeSending(ex),
                };
            }
        }

        private JsonDocument Interpret(HttpResponseMessage response, byte[] body, string? headerRequestId, string subject)
        {
            var status = (int)response.StatusCode;
            var success = status >= 200 && status <= 299;
            var retryAfter = RetryAfterHeader.Read(response.Headers, DateTimeOffset.UtcNow);
            var contentType = response.Content.Headers.ContentType?.ToString();

            JsonDocument? document = null;
            try
            {
                if (body.Length > 0) document = SecretRedactor.Redact(JsonDocument.Parse(body), _apiKey);
            }
            catch (JsonException)
            {
            }

            if (status == 404 && EndpointCheck.IsForeign404(document))
            {
                var foreign = document is null
                    ? SecretRedactor.Redact(ApiErrorParser.DescribeNonJson(contentType, body), _apiKey)
                    : "the body is JSON without the API's error code or message";
                document?.Dispose();
                throw new ZAiApiException(
                    ZAiErrorReason.EndpointNotFound,
                    EndpointCheck.Message(subject, response.RequestMessage?.RequestUri, _settings.BaseUri, foreign),
                    statusCode: status,
                    requestId: headerRequestId);
            }

            if (document is null)
            {
                var description = SecretRedactor.Redact(ApiErrorParser.DescribeNonJson(contentType, body), _apiKey);
                var reason = success ? ZAiErrorReason.InvalidResponse : ErrorClassifier.Classify(status, null);
                if (reason == ZAiErrorReason.Unknown) reason = ZAiErrorReason.InvalidResponse;
                throw new ZAiApiException(
                    reason,
                    $"{subject}: HTTP {status} {response.ReasonPhrase}, but {description}.",
                    statusCode: status,
                    requestId: headerRequestId,
                    isTransient: !success && ErrorClassifier.IsTransient(status, null),
                    retryAfter: retryAfter);
            }

            var error = ApiErrorParser.FromJson(document.RootElement, success);
            if (error is null) return document;
            document.Dispose();

            var apiMessage = error.Message is null ? null : SecretRedactor.Redact(error.Message, _apiKey);
            var requestId = error.RequestId ?? headerRequestId;
            var apiReason = ErrorClassifier.Classify(status, error.Code);
            var resetTime = apiReason == ZAiErrorReason.UsageLimitReached ? UsageLimitMessage.ResetTime(apiMessage) : null;
            var text = $"{subject}: HTTP {status} {response.ReasonPhrase}"
                + (error.Code is null ? string.Empty : $", code {error.Code}")
                + (apiMessage is null ? "." : $": {apiMessage}")
                + (requestId is null ? string.Empty : $" (request id {requestId})")
                + (apiReason == ZAiErrorReason.UsageLimitReached ? UsageLimitMessage.Explain(error.Code, resetTime) : string.Empty);
            throw new ZAiApiException(
                apiReason,
                text,
                statusCode: status,
                errorCode: error.Code,
                apiMessage: apiMessage,
                requestId: requestId,
                isTransient: ErrorClassifier.IsTransient(status, error.Code),
                retryAfter: retryAfter,
                limitResetsAt: resetTime);
        }

        private static string? HeaderRequestId(HttpResponseMessage response)
        {
            foreach (var name in RequestIdHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values)) return values.FirstOrDefault();
            }
            return null;
        }

        /// <summary>
        /// True only when the connection could not be opened at all (refused, host or network unreachable, no such
        /// host): then no byte of the request left this machine. A reset or an end of stream may come after sending.
        /// </summary>
        internal static bool FailedBeforeSending(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is System.Net.Sockets.SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case System.Net.Sockets.SocketError.ConnectionRefused:
                        case System.Net.Sockets.SocketError.HostNotFound:
                        case System.Net.Sockets.SocketError.HostUnreachable:
                        case System.Net.Sockets.SocketError.NetworkUnreachable:
                        case System.Net.Sockets.SocketError.NoData:
                        case System.Net.Sockets.SocketError.AddressNotAvailable:
                            return true;
                        default:
                            return false;
                    }
                }
            }
            return false;
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        private static string Describe(ZAiApiException error)
        {
            if (error.StatusCode is null) return error.Reason == ZAiErrorReason.Timeout ? "timed out" : "connection failed";
            return $"HTTP {error.StatusCode}" + (error.ErrorCode is null ? string.Empty : $" (code {error.ErrorCode})");
        }
    }
}
