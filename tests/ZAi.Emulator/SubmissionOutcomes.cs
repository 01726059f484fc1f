using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>
/// What happens to accepted submissions beyond the template, for runbook fault tests (thread-safe):
/// <see cref="FailPrompts"/> makes a task whose prompt contains one of the texts end FAIL, and
/// <see cref="CreatedFaultPercent"/> answers that share of accepted submissions, after the task was created and
/// its request_id recorded, with a 502 (every other such answer) or a connection reset, from a fixed seed so a
/// run is repeatable. Both are what the real API does at its edges: a task that fails on its content, and a
/// gateway that loses the answer of a request the API already acted on.
/// </summary>
internal sealed class SubmissionOutcomes
{
    private readonly object _lock = new();
    private List<string> _failPrompts = [];
    private List<string> _expirePrompts = [];
    private int _createdFaultPercent;
    private Random _random = new(18);
    private int _faulted;

    public IReadOnlyList<string> FailPrompts { get { lock (_lock) return _failPrompts.ToList(); } }

    /// <summary>Tasks whose prompt contains one of these texts succeed with links that have already expired.</summary>
    public IReadOnlyList<string> ExpirePrompts { get { lock (_lock) return _expirePrompts.ToList(); } }

    public int CreatedFaultPercent { get { lock (_lock) return _createdFaultPercent; } }

    public void Configure(List<string>? failPrompts, int? createdFaultPercent, List<string>? expirePrompts = null)
    {
        if (createdFaultPercent is < 0 or > 100) throw new ArgumentException("createdFaultPercent must be 0 to 100.");
        lock (_lock)
        {
            if (failPrompts is not null) _failPrompts = failPrompts.Where(p => !string.IsNullOrEmpty(p)).ToList();
            if (expirePrompts is not null) _expirePrompts = expirePrompts.Where(p => !string.IsNullOrEmpty(p)).ToList();
            if (createdFaultPercent is int percent)
            {
                _createdFaultPercent = percent;
                _random = new Random(18);
                _faulted = 0;
            }
        }
    }

    public void Reset() => Configure([], 0, []);

    /// <summary>Whether the task of a submission body with this prompt ends FAIL.</summary>
    public bool Fails(byte[]? body)
    {
        string? prompt = PromptOf(body);
        if (prompt is null) return false;
        lock (_lock) return _failPrompts.Any(p => prompt.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>Whether the task of a submission body with this prompt finishes with its links expired already.</summary>
    public bool Expires(byte[]? body)
    {
        string? prompt = PromptOf(body);
        if (prompt is null) return false;
        lock (_lock) return _expirePrompts.Any(p => prompt.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>The fault to answer an accepted submission with, or null for the normal answer.</summary>
    public Fault? AfterCreation()
    {
        lock (_lock)
        {
            if (_createdFaultPercent == 0 || _random.Next(100) >= _createdFaultPercent) return null;
            bool reset = _faulted++ % 2 == 1;
            return Fault.From(new FaultSpec { Type = reset ? "drop" : "statusAfterCreate", Status = 502 }, forMedia: false);
        }
    }

    private static string? PromptOf(byte[]? body)
    {
        if (body is null) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.String
                ? prompt.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
