using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// The RecommendedAction of an API error: what to do next, never a repeat of what the message already says
    /// (the message says what happened; a missing key's message already says how to set one).
    /// </summary>
    internal static class ErrorAdvice
    {
        public const string ProxyAuthentication = "Give the proxy its credentials: Connect-ZAi -Proxy <address> -ProxyCredential (Get-Credential), or -ProxyUseDefaultCredentials for a proxy that accepts your Windows logon.";

        public const string ProxyConnection = "Check that the proxy is running and its address (Get-ZAiContext shows Proxy and ProxySource); Connect-ZAi -NoProxy lists the hosts to reach without it.";

        /// <summary>The advice for a media failure, where there is one beyond the message.</summary>
        public static string? For(ZAiMediaException error)
        {
            switch (error.Reason)
            {
                case MediaErrorReason.ProxyAuthenticationRequired:
                    return ProxyAuthentication;
                case MediaErrorReason.ProxyConnectionFailed:
                    return ProxyConnection;
                default:
                    return null;
            }
        }

        public static string? For(ZAiApiException error)
        {
            if (FailureLatch.IsRefusal(error)) return null;   // the error it refers to gives the advice once
            switch (error.Reason)
            {
                case ZAiErrorReason.ApiKeyMissing:
                    return "Get-ZAiContext shows where the module looks for the key.";
                case ZAiErrorReason.AuthenticationFailed:
                    return "Check the API key: Connect-ZAi -ApiKey (Read-Host -AsSecureString), or set ZAI_API_KEY. Get-ZAiContext shows which key is in use.";
                case ZAiErrorReason.RateLimited:
                    return "Slow down or wait: the account's concurrency or frequency limit was reached. Raise Connect-ZAi -MaximumRetryCount to wait longer automatically.";
                case ZAiErrorReason.QuotaExceeded:
                    return "Top up the account balance.";
                case ZAiErrorReason.UsageLimitReached:
                    return error.LimitResetsAt is null
                        ? "Wait for the plan's period to reset, or raise the plan's limit in the Z.AI console."
                        : "Run the command again after the reset time, or raise the plan's limit in the Z.AI console.";
                case ZAiErrorReason.QueueTimeout:
                    return "The account's tasks in flight did not finish in time: wait for them (Wait-ZAiAsyncResult), then run the same command again; with -Journal nothing already submitted is sent twice.";
                case ZAiErrorReason.DuplicateRequest:
                    return "A request id names one task: omit -RequestId to have a new one generated, or find the task created for this request id in the Z.AI console.";
                case ZAiErrorReason.SubmissionOutcomeUnknown:
                    return "Before submitting this request again, look in the Z.AI console (or the account's bills) for a task created at this time: it may exist and be billed. With -Journal the request is recorded as Unknown and later runs do not send it again.";
                case ZAiErrorReason.TaskIdLost:
                    return "Find the task by its request id in the Z.AI console: it exists and is billed. Do not submit the request again under a new request id unless you want a second task.";
                case ZAiErrorReason.NotFound:
                    return "Check the task id: it is the id returned when the task was submitted, not the request id.";
                case ZAiErrorReason.EndpointNotFound:
                    return "Connect-ZAi -Region International (or China), or Connect-ZAi -BaseUri with the API's base URI, which ends in /api.";
                case ZAiErrorReason.ProxyAuthenticationRequired:
                    return ProxyAuthentication;
                case ZAiErrorReason.ProxyConnectionFailed:
                    return ProxyConnection;
                case ZAiErrorReason.ConnectionFailed:
                case ZAiErrorReason.Timeout:
                case ZAiErrorReason.ServiceUnavailable:
                    return "Try again later; check the network and Get-ZAiContext's BaseUri.";
                default:
                    return null;
            }
        }
    }
}
