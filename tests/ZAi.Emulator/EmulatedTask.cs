using System.Diagnostics;
using System.Text.Json;

namespace ZAi.Emulator;

internal enum TaskKind { Video, Image, Chat, Agent }

/// <summary>The task_status a normal response reports, and whether the task has finished.</summary>
internal readonly record struct NormalStatus(string Status, bool Finished);

/// <summary>One emulated task: its fixed description plus thread-safe counters and fault queues.</summary>
internal sealed class EmulatedTask
{
    private readonly Lock _gate = new();
    private readonly Queue<Fault> _faults;
    private readonly Dictionary<string, Queue<Fault>> _mediaFaults;
    private readonly long _createdTimestamp = Stopwatch.GetTimestamp();
    private int _requestCount;
    private int _normalResponses;
    private int _mediaRequestCount;
    private string? _lastStatus;
    private TaskCompletionSource _mediaRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EmulatedTask(
        string id,
        TaskKind kind,
        string model,
        string outcome,
        string requestId,
        TaskShape shape,
        IEnumerable<Fault> faults,
        Dictionary<string, Queue<Fault>> mediaFaults,
        string? submittedBody)
    {
        Id = id;
        Kind = kind;
        Model = model;
        Outcome = outcome;
        RequestId = requestId;
        Shape = shape;
        _faults = new Queue<Fault>(faults);
        _mediaFaults = mediaFaults;
        EscapedId = Uri.EscapeDataString(id);
        SubmittedBody = submittedBody;
    }

    public string Id { get; }

    public string EscapedId { get; }

    public TaskKind Kind { get; }

    public string Model { get; }

    public string Outcome { get; }

    public string RequestId { get; }

    public TaskShape Shape { get; }

    /// <summary>The JSON body of the submission that created the task; null for control-API tasks.</summary>
    public string? SubmittedBody { get; }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Whether links to its media have expired: the task finished (<see cref="TaskSpec.FinishedMinutesAgo"/>) longer ago than they live.</summary>
    public bool MediaExpired(bool image)
    {
        if (Shape.FinishedMinutesAgo is not int minutes) return false;
        DateTimeOffset finished = CreatedAt.AddMinutes(-minutes);
        return DateTimeOffset.UtcNow >= finished + (image ? TimeSpan.FromDays(30) : TimeSpan.FromDays(1));
    }

    /// <summary>Counts an API request and returns the fault it must answer with, if any.</summary>
    public Fault? BeginApiRequest()
    {
        lock (_gate)
        {
            _requestCount++;
            return _faults.Count > 0 ? _faults.Dequeue() : null;
        }
    }

    /// <summary>Counts a normal response and returns the status it reports.</summary>
    public NormalStatus ServeNormal()
    {
        lock (_gate)
        {
            NormalStatus status = ComputeStatus();
            _normalResponses++;
            _lastStatus = status.Status;
            return status;
        }
    }

    /// <summary>The status the next normal response would report, without counting anything.</summary>
    public NormalStatus PeekStatus()
    {
        lock (_gate)
        {
            return ComputeStatus();
        }
    }

    /// <summary>Completes when <see cref="ReleaseMedia"/> is called; stall faults wait for it.</summary>
    public Task MediaReleased
    {
        get
        {
            lock (_gate) return _mediaRelease.Task;
        }
    }

    /// <summary>Lets every stalled media response of the task go on; later stalls wait for the next call.</summary>
    public void ReleaseMedia()
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            released = _mediaRelease;
            _mediaRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        released.TrySetResult();
    }

    /// <summary>Counts a media request and returns the fault for that file (exact name first, then *).</summary>
    public Fault? BeginMediaRequest(string file, bool consumeFault)
    {
        lock (_gate)
        {
            _mediaRequestCount++;
            if (!consumeFault) return null;
            if (_mediaFaults.TryGetValue(file, out Queue<Fault>? queue) && queue.Count > 0)
            {
                return queue.Dequeue();
            }
            if (_mediaFaults.TryGetValue("*", out queue) && queue.Count > 0)
            {
                return queue.Dequeue();
            }
            return null;
        }
    }

    public TaskInfo Snapshot()
    {
        lock (_gate)
        {
            int mediaFaults = 0;
            foreach (Queue<Fault> queue in _mediaFaults.Values)
            {
                mediaFaults += queue.Count;
            }
            return new TaskInfo
            {
                Id = Id,
                Kind = Kind.ToString().ToLowerInvariant(),
                Model = Model,
                Outcome = Outcome,
                RequestId = RequestId,
                RequestCount = _requestCount,
                NormalResponses = _normalResponses,
                MediaRequestCount = _mediaRequestCount,
                FaultsRemaining = _faults.Count,
                MediaFaultsRemaining = mediaFaults,
                Status = ComputeStatus().Status,
                LastStatus = _lastStatus,
                CreatedAt = CreatedAt,
                SubmittedBody = SubmittedBody,
            };
        }
    }

    private NormalStatus ComputeStatus()
    {
        double elapsedMs = Stopwatch.GetElapsedTime(_createdTimestamp).TotalMilliseconds;
        if (elapsedMs >= Shape.ProcessingMs && _normalResponses >= Shape.ProcessingPolls)
        {
            return new NormalStatus(Outcome, true);
        }
        return new NormalStatus(_normalResponses == 0 && Shape.InitialStatus is not null ? Shape.InitialStatus : "PROCESSING", false);
    }
}

/// <summary>The fixed, read-only parts of a task that shape its bodies and media.</summary>
internal sealed record TaskShape(
    int ProcessingMs,
    int ProcessingPolls,
    string? InitialStatus,
    bool IncludeIdField,
    JsonElement? ExtraFields,
    HashSet<string> ExtraFieldNames,
    int VideoCount,
    int ImageCount,
    string CoverExtension,
    bool ImageB64,
    long MediaSize,
    int? FinishedMinutesAgo = null)
{
    /// <summary>Write video_result, image_result and choices as one object instead of a list (<see cref="TaskSpec.ResultShape"/>).</summary>
    public bool ResultAsObject { get; init; }

    /// <summary>Fields merged into the bodies while the task runs (<see cref="TaskSpec.ProcessingFields"/>).</summary>
    public JsonElement? ProcessingFields { get; init; }

    /// <summary>Fields merged into the bodies of the finished task (<see cref="TaskSpec.FinishedFields"/>).</summary>
    public JsonElement? FinishedFields { get; init; }

    /// <summary>optimized_prompt of a finished video (<see cref="TaskSpec.OptimizedPrompt"/>).</summary>
    public string? OptimizedPrompt { get; init; }
}
