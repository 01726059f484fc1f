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
        MediaRoot = $"http://localhost:{port}/media/";
    }

    public int Port { get; }

    public IReadOnlySet<string> ApiKeys { get; }

    /// <summary>"http://localhost:{port}/media/": media URLs use a different host name than the API.</summary>
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
