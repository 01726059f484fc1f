using System;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Stops a command from sending after a failure that every later request would meet as well: a key the API
    /// refuses (HTTP 401) or a base URI that is not the API. The first request of the command goes out alone;
    /// the others wait for its answer, so a wrong key costs one request, not one per prompt. After such a
    /// failure, every request not yet sent fails at once with a short error that refers to the first.
    /// </summary>
    internal sealed class FailureLatch
    {
        private readonly object _lock = new object();
        private TaskCompletionSource<bool>? _pilot;
        private bool _answered;
        private ZAiApiException? _failure;

        /// <summary>The failure that closed the latch, or null while requests may be sent.</summary>
        public ZAiApiException? Failure
        {
            get { lock (_lock) return _failure; }
        }

        /// <summary>Failures that say nothing about one request and everything about all of them.</summary>
        public static bool Closes(ZAiApiException error) =>
            error.Reason == ZAiErrorReason.AuthenticationFailed || error.Reason == ZAiErrorReason.EndpointNotFound;

        /// <summary>Runs <paramref name="send"/> unless the latch is closed; the first call runs alone.</summary>
        /// <param name="subject">What the call is about, for the refusal: "Task 'abc'".</param>
        public async Task<T> RunAsync<T>(Func<Task<T>> send, string subject, CancellationToken cancellationToken)
        {
            bool pilot;
            while (true)
            {
                Task waitFor;
                lock (_lock)
                {
                    if (_failure != null) throw Refusal(subject, _failure);
                    if (_answered || _pilot == null)
                    {
                        pilot = !_answered;
                        if (pilot) _pilot = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                        break;
                    }
                    waitFor = _pilot.Task;
                }
                await WaitAsync(waitFor, cancellationToken).ConfigureAwait(false);
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
                    TaskCompletionSource<bool> done;
                    lock (_lock)
                    {
                        _answered = true;
                        done = _pilot!;
                    }
                    done.TrySetResult(true);
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

        private static async Task WaitAsync(Task task, CancellationToken cancellationToken)
        {
            if (task.IsCompleted) return;
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
            {
                await (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
    }
}
