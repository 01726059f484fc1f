namespace ZAi
{
    /// <summary>Why a Z.AI call failed. Each reason has a stable PowerShell ErrorId (see about_ZAi).</summary>
    public enum ZAiErrorReason
    {
        /// <summary>The API reported an error the module cannot place.</summary>
        Unknown = 0,
        /// <summary>No API key: neither Connect-ZAi -ApiKey nor ZAI_API_KEY.</summary>
        ApiKeyMissing,
        /// <summary>HTTP 401 or business codes 1000-1004.</summary>
        AuthenticationFailed,
        /// <summary>Business codes 1110-1121 (account locked, not verified...), or HTTP 403.</summary>
        AccountProblem,
        /// <summary>Business code 1113: the balance is exhausted.</summary>
        QuotaExceeded,
        /// <summary>HTTP 429 or business codes 1302-1305: concurrency, frequency, daily limit, overload.</summary>
        RateLimited,
        /// <summary>HTTP 400 or business codes 1210-1234: a parameter the API rejected.</summary>
        InvalidRequest,
        /// <summary>Business code 1301: the content was judged unsafe.</summary>
        ContentRejected,
        /// <summary>HTTP 404: no such task (or endpoint).</summary>
        NotFound,
        /// <summary>HTTP 500 and other server errors.</summary>
        ServerError,
        /// <summary>HTTP 502, 503, 504: a gateway or an overloaded service.</summary>
        ServiceUnavailable,
        /// <summary>The response could not be read: malformed JSON, an HTML page from a proxy.</summary>
        InvalidResponse,
        /// <summary>The connection failed or was dropped.</summary>
        ConnectionFailed,
        /// <summary>The request timed out (or HTTP 408).</summary>
        Timeout,
        /// <summary>Business code 1231: a task was already submitted with this request id.</summary>
        DuplicateRequest,
        /// <summary>A submission waited for room on the account (tasks in flight, 1302) longer than its queue time allows; nothing was sent.</summary>
        QueueTimeout,
        /// <summary>Business codes 1308, 1309, 1310 (usage limit of the plan or period exhausted) and 1313 (fair-use block): never retried; the message gives the reset time when the API did.</summary>
        UsageLimitReached,
        /// <summary>HTTP 404 whose body is not the API's JSON: the base URI points somewhere that is not the Z.AI API (for example without its /api).</summary>
        EndpointNotFound,
        /// <summary>The journal could not record a step (a full disk, a lost share): a request not recorded is not sent; a task accepted but not recorded still goes down the pipeline, named in the error.</summary>
        JournalWriteFailed,
        /// <summary>A submission without an idempotency key (a video effect: the agents API takes no request id) may have reached the API, but no answer said what became of it (a time-out, a reset or a 5xx after sending). It is never sent again: the task may exist and be billed.</summary>
        SubmissionOutcomeUnknown,
        /// <summary>The API holds a task for the request id (1231 after an earlier attempt of the same request), but its task id never reached the module: the task exists and is billed, and only the Z.AI console can name it.</summary>
        TaskIdLost,
        /// <summary>The proxy answered HTTP 407: it wants credentials (Connect-ZAi -ProxyCredential) or refused the ones given. Never retried.</summary>
        ProxyAuthenticationRequired,
        /// <summary>No connection to the proxy (down, refused, its name not found), or the proxy would not connect to the host; the message names the proxy.</summary>
        ProxyConnectionFailed,
    }
}
