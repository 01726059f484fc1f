namespace ZAi.Emulator;

/// <summary>
/// Body of <c>POST /_emulator/config</c> (camelCase JSON; every property optional, an absent or null
/// property leaves that setting unchanged; unknown properties are refused with 400) and of
/// <c>GET /_emulator/config</c> (every property filled in). <c>POST /_emulator/reset</c> restores
/// the start-up latency, the default submission template and an empty submission fault queue.
/// </summary>
/// <example>
/// <code>{"latencyMs": 50}</code>
/// <code>{"submission": {"processingPolls": 2, "outcome": "FAIL"}, "submissionFaults": [{"type": "drop", "afterBytes": 5}]}</code>
/// </example>
internal sealed class ConfigBody
{
    /// <summary>Delay in milliseconds before every API and media response; must not be negative.</summary>
    public int? LatencyMs { get; set; }

    /// <summary>
    /// Template of every task that <c>POST /api/paas/v4/videos/generations</c> and
    /// <c>POST /api/paas/v4/async/images/generations</c> create from now on. Its id, kind, model and
    /// requestId are ignored (they come from the submission); every other <see cref="TaskSpec"/>
    /// property applies with its usual default, so <c>{}</c> restores the default template (the task
    /// finishes SUCCESS at its first poll, media files of 4096 bytes). An invalid template is refused
    /// with 400 and nothing changes.
    /// </summary>
    public TaskSpec? Submission { get; set; }

    /// <summary>
    /// Replaces the submission fault queue (<c>[]</c> empties it). One fault is consumed by every
    /// POST to either submission endpoint that passed auth, before validation. Types: status,
    /// businessIn200, html and malformed answer instead of the endpoint and create no task; slow
    /// (delayMs) and drop (afterBytes) apply to an accepted submission only: its task is created and
    /// its request_id recorded, then the 200 answer is delayed, or declared in full but cut off after
    /// afterBytes bytes with the connection aborted (a refused submission gets its normal 400).
    /// </summary>
    public List<FaultSpec>? SubmissionFaults { get; set; }

    /// <summary>Read-only (reported by GET; refused in a POST): submission faults not yet consumed.</summary>
    public int? SubmissionFaultsRemaining { get; set; }

    /// <summary>
    /// The account's limit of tasks in flight (0 for none, the start-up default): a submission while that
    /// many submitted tasks are still running gets HTTP 429 with business code 1302 and creates nothing.
    /// </summary>
    public int? ConcurrencyLimit { get; set; }

    /// <summary>Tasks created from now on whose prompt contains one of these texts end FAIL ([] for none).</summary>
    public List<string>? FailPrompts { get; set; }

    /// <summary>Tasks created from now on whose prompt contains one of these texts succeed with their links already expired ([] for none).</summary>
    public List<string>? ExpirePrompts { get; set; }

    /// <summary>
    /// Percent (0-100) of accepted submissions whose answer is lost after the task was created and its request_id
    /// recorded: every other one a 502, the rest a connection reset; from a fixed seed, restarted when set.
    /// </summary>
    public int? CreatedFaultPercent { get; set; }

    /// <summary>
    /// API keys of further accounts, accepted from now on besides the start-up key (a reset forgets them). Each key is an
    /// account of its own: the tasks it submits and its request_ids are seen by no other key (another key asking for them
    /// gets 404, and may use the same request_id for a task of its own). GET reports the keys added.
    /// </summary>
    public List<string>? ApiKeys { get; set; }

    /// <summary>Read-only: submissions refused with 1302 since the last reset.</summary>
    public int? ConcurrencyRefusals { get; set; }

    /// <summary>Read-only: submissions that created a task since the last reset.</summary>
    public int? SubmissionsAccepted { get; set; }

    /// <summary>Read-only: submitted tasks still running now.</summary>
    public int? TasksInFlight { get; set; }

    /// <summary>The media host's bandwidth per connection, time to first byte and ranges; see <see cref="MediaHostConfig"/>.</summary>
    public MediaHostConfig? Media { get; set; }
}
