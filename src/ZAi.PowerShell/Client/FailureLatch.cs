using System;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Stops a command from sending after a failure that every later request would meet as well: a key the API
    /// refuses (HTTP 401) or a base URI that is not the API. The first request of the command goes out alone;
    /// the others wait for its answer (at most <see cref="PilotWait"/>, so one slow task never holds up the
    /// rest), so a wrong key costs one request, not one per prompt. After such a failure, every request not
    /// yet sent fails at once with a short error that refers to the first.
    /// </summary>
    internal sealed class FailureLatch
    {
        /// <summary>How long the other requests wait for the first one's answer before they go anyway.</summary>
        public static readonly TimeSpan PilotWait = TimeSpan.FromSeconds(2);

        private readonly object _lock = new object();
        private readonly IClock _clock;
        private readonly TimeSpan _pilotWait;
        private readonly CancellationTokenSource _pilotAnswered = new CancellationTokenSource();
        private TaskCompletionSource<bool>? _pilot;
        private Task? _grace;
        private bool _open;
        private ZAiApiException? _failure;

        public FailureLatch(IClock? clock = null, TimeSpan? pilotWait = null)
        {
            _clock = clock ?? SystemClock.Instance;
            _pilotWait = pilotWait ?? PilotWait;
        }

        /// <summary>The failure that closed the latch, or null while requests may be sent.</summary>
        public ZAiApiException? Failure
        {
            get { lock (_lock) return _failure; }
        }

        /// <summary>Failures that say nothing about one request and everything about all of them.</summary>
        public static bool Closes(ZAiApiException error) =>
            error.Reason == ZAiErrorReason.AuthenticationFailed || error.Reason == ZAiErrorReason.EndpointNotFound || error.Reason == ZAiErrorReason.ProxyAuthenticationRequired;

        /// <summary>Runs <paramref name="send"/> unless the latch is closed; the first call runs alone for a while.</summary>
        /// <param name="subject">What the call is about, for the refusal: "Task 'abc'".</param>
        public async Task<T> RunAsync<T>(Func<Task<T>> send, string subject, CancellationToken cancellationToken)
        {
            var pilot = false;
            while (true)
            {
                Task answered, grace;
                lock (_lock)
                {
                    if (_failure != null) throw Refusal(subject, _failure);
                    if (_open) break;
                    if (_pilot == null)
                    {
                        _pilot = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                        _grace = _clock.Delay(_pilotWait, _pilotAnswered.Token);
                        pilot = true;
                        break;
                    }
                    answered = _pilot.Task;
                    grace = _grace!;
                }
                var first = await WhenAnyAsync(answered, grace, cancellationToken).ConfigureAwait(false);
                if (first == grace && grace.Status == TaskStatus.RanToCompletion)
                {
                    lock (_lock) _open = true;
                }
            }

            try
            {
                return await send().ConfigureAwait(false);
            }
            catch (ZAiApiException error) when (Closes(error))
            {
                lock (_lock) _failure ??= error;
                throw;
            }
            finally
            {
                if (pilot)
                {
                    lock (_lock) _open = true;
                    _pilot!.TrySetResult(true);
                    _pilotAnswered.Cancel();
                }
            }
        }

        /// <summary>The short error of a request that was not sent because of <paramref name="first"/>.</summary>
        internal static ZAiApiException Refusal(string subject, ZAiApiException first) =>
            new ZAiApiException(
                first.Reason,
                $"{subject}: not sent. Another request of this command failed with {first.ErrorId}"
                + (first.StatusCode is null ? string.Empty : $" (HTTP {first.StatusCode})")
                + ", as every request would; see that error.",
                statusCode: first.StatusCode,
                errorCode: first.ErrorCode,
                innerException: first);

        /// <summary>Whether <paramref name="error"/> is the refusal of a request that was never sent.</summary>
        internal static bool IsRefusal(ZAiApiException error) => error.InnerException is ZAiApiException;

        private static async Task<Task> WhenAnyAsync(Task a, Task b, CancellationToken cancellationToken)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
            {
                var first = await Task.WhenAny(a, b, cancelled.Task).ConfigureAwait(false);
                if (first == cancelled.Task) await first.ConfigureAwait(false);   // throws the cancellation
                return first;
            }
        }
    }
}
