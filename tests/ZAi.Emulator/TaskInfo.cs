namespace ZAi.Emulator;

/// <summary>
/// A point-in-time view of one emulated task (the body of <c>GET /_emulator/task</c>, an element of
/// <c>GET /_emulator/tasks</c>), whether it was created through the control API or by a submission.
/// </summary>
public sealed class TaskInfo
{
    /// <summary>Task id.</summary>
    public required string Id { get; init; }

    /// <summary>video, image or chat.</summary>
    public required string Kind { get; init; }

    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Configured outcome.</summary>
    public required string Outcome { get; init; }

    /// <summary>request_id reported in bodies (for a submitted task: the one it was submitted with, or the generated one).</summary>
    public required string RequestId { get; init; }

    /// <summary>Requests to the async-result endpoint that reached this task (faulted ones included).</summary>
    public int RequestCount { get; init; }

    /// <summary>Normal (non-fault) bodies served so far.</summary>
    public int NormalResponses { get; init; }

    /// <summary>Requests (GET and HEAD) to this task's media files.</summary>
    public int MediaRequestCount { get; init; }

    /// <summary>API faults not yet consumed.</summary>
    public int FaultsRemaining { get; init; }

    /// <summary>Media faults not yet consumed (all files).</summary>
    public int MediaFaultsRemaining { get; init; }

    /// <summary>task_status the next normal response would report now.</summary>
    public required string Status { get; init; }

    /// <summary>task_status of the last normal response served, or null.</summary>
    public string? LastStatus { get; init; }

    /// <summary>Creation time (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The JSON body (UTF-8 text, as sent) of the <c>POST /api/paas/v4/videos/generations</c> or
    /// <c>POST /api/paas/v4/async/images/generations</c> request that created the task; null for
    /// tasks created through <c>POST /_emulator/tasks</c> or <see cref="EmulatorServer.AddTasks"/>.
    /// </summary>
    public string? SubmittedBody { get; init; }
}
