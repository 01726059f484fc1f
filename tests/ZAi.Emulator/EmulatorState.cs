namespace ZAi.Emulator;

/// <summary>State shared by all endpoints of one running emulator.</summary>
internal sealed class EmulatorState
{
    private readonly int _defaultLatencyMs;
    private volatile int _latencyMs;

    public EmulatorState(EmulatorOptions options, int port)
    {
        Port = port;
        ApiKeys = new HashSet<string>(options.ApiKeys, StringComparer.Ordinal);
        _defaultLatencyMs = Math.Max(0, options.LatencyMs);
        _latencyMs = _defaultLatencyMs;
        Scheme = options.CertificatePath is null ? "http" : "https";
        MediaRoot = $"{Scheme}://localhost:{port}/media/";
    }

    public int Port { get; }

    /// <summary>"https" when the emulator has a certificate, else "http".</summary>
    public string Scheme { get; }

    public IReadOnlySet<string> ApiKeys { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _addedKeys = new(StringComparer.Ordinal);

    /// <summary>Keys of further accounts added by <c>POST /_emulator/config {"apiKeys": [...]}</c> (cleared by a reset).</summary>
    public IReadOnlyList<string> AddedKeys => _addedKeys.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>Adds accounts: each key is an account of its own (its tasks and request_ids are seen by no other key).</summary>
    public void AddKeys(IEnumerable<string> keys)
    {
        foreach (string key in keys)
        {
            if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException("apiKeys must not hold an empty key.");
            _addedKeys[key.Trim()] = true;
        }
    }

    public bool IsKnownKey(string key) => ApiKeys.Contains(key) || _addedKeys.ContainsKey(key);

    /// <summary>The account (key) that created each submitted task; tasks created through <c>/_emulator/tasks</c> have none and every account sees them.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> TaskOwners { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="account"/> may see the task: its own, or one created through the control API.</summary>
    public bool Owns(string? account, string taskId) =>
        !TaskOwners.TryGetValue(taskId, out string? owner) || account is null || string.Equals(owner, account, StringComparison.Ordinal);

    /// <summary>"http://localhost:{port}/media/" (https with a certificate): media URLs use a different host name than the API.</summary>
    public string MediaRoot { get; }

    public TaskStore Tasks { get; } = new();

    public RequestLog Log { get; } = new();

    /// <summary>Template and fault queue of the task-submission endpoints.</summary>
    public SubmissionSettings Submissions { get; } = new();

    /// <summary>Tasks failed by prompt and answers lost after creation, for runbook fault tests.</summary>
    public SubmissionOutcomes Outcomes { get; } = new();

    /// <summary>The account's limit of tasks in flight and its counters.</summary>
    public AccountLimit Account { get; } = new();

    /// <summary>request_ids of accepted submissions, shared by both submission endpoints.</summary>
    public RequestIdRegistry RequestIds { get; } = new();

    /// <summary>Bandwidth, time to first byte and ranges of the media host.</summary>
    public MediaHostSettings MediaHost { get; } = new();

    /// <summary>Versions of files replaced by newVersion faults.</summary>
    public MediaVersions MediaVersions { get; } = new();

    /// <summary>Holds every API and media request after a number of events, until released (kill tests).</summary>
    public HoldGate Hold { get; } = new();

    public int LatencyMs
    {
        get => _latencyMs;
        set => _latencyMs = Math.Max(0, value);
    }

    /// <summary>
    /// Clears tasks, the request log, the config (latency, submission template and submission
    /// faults) and the remembered request_ids.
    /// </summary>
    public void Reset()
    {
        Tasks.Clear();
        Log.Clear();
        _latencyMs = _defaultLatencyMs;
        Submissions.Reset();
        Outcomes.Reset();
        RequestIds.Clear();
        TaskOwners.Clear();
        _addedKeys.Clear();
        Account.Reset();
        MediaHost.Reset();
        MediaVersions.Clear();
        Hold.Release();
    }

    /// <summary>Waits the configured latency (API and media responses only).</summary>
    public Task DelayAsync(CancellationToken ct)
    {
        int latency = _latencyMs;
        return latency > 0 ? Task.Delay(latency, ct) : Task.CompletedTask;
    }
}
