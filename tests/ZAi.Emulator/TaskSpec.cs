using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>
/// What an emulated task looks like and how it behaves; posted (camelCase JSON) to
/// <c>POST /_emulator/tasks</c> or passed to <see cref="EmulatorServer.AddTasks"/>.
/// Every property is optional; defaults are listed per property.
/// </summary>
/// <remarks>
/// Also the template of tasks created by the submission endpoints (<c>submission</c> of
/// <c>POST /_emulator/config</c>, <see cref="EmulatorServer.ConfigureSubmissions"/>): there
/// <see cref="Id"/> (a new 32-hex-character id), <see cref="Kind"/> (from the endpoint),
/// <see cref="Model"/> and <see cref="RequestId"/> (from the request; generated when absent) are
/// ignored and every other property applies to each created task. The default template is
/// <c>{}</c>: the task finishes SUCCESS at its first poll and its media files are 4096 bytes long.
/// </remarks>
public sealed class TaskSpec
{
    /// <summary>Task id; 32 hex characters generated when absent. Replaces an existing task with the same id. Ignored in a submission template.</summary>
    public string? Id { get; set; }

    /// <summary><c>video</c> (default), <c>image</c> or <c>chat</c>. Ignored in a submission template (the endpoint decides).</summary>
    public string? Kind { get; set; }

    /// <summary>Model name; default cogvideox-3 (video), glm-image (image), glm-4.5 (chat). Ignored in a submission template (the request's model is used).</summary>
    public string? Model { get; set; }

    /// <summary><c>SUCCESS</c> (default), <c>FAIL</c>, or any other string reported verbatim as task_status.</summary>
    public string? Outcome { get; set; }

    /// <summary>Minimum time in milliseconds since creation before the task finishes (default 0).</summary>
    public int? ProcessingMs { get; set; }

    /// <summary>Number of normal non-terminal responses served before the task finishes (default 0).</summary>
    public int? ProcessingPolls { get; set; }

    /// <summary>Status reported instead of PROCESSING on the very first normal response if that one is non-terminal (e.g. SUBMITTED).</summary>
    public string? InitialStatus { get; set; }

    /// <summary>request_id in bodies; generated when absent. Ignored in a submission template (the request's request_id is used).</summary>
    public string? RequestId { get; set; }

    /// <summary>Whether bodies carry the <c>id</c> field (default true).</summary>
    public bool? IncludeIdField { get; set; }

    /// <summary>A JSON object whose properties are merged into (and override) every normal body.</summary>
    public JsonElement? ExtraFields { get; set; }

    /// <summary>
    /// Shapes seen on the live API beyond its documentation, for bodies of the finished task: <c>list</c> (default)
    /// writes video_result, image_result and a chat's choices as lists; <c>object</c> writes each as one object (its
    /// first item), as z-ai-sdk-java's AsyncImageResult accepts.
    /// </summary>
    public string? ResultShape { get; set; }

    /// <summary>A JSON object whose properties are merged into (and override) the bodies of the task while it runs, e.g. <c>{"model": null}</c> as async chat sends.</summary>
    public JsonElement? ProcessingFields { get; set; }

    /// <summary>
    /// A JSON object whose properties are merged into (and override) the bodies of the finished task, e.g.
    /// <c>{"model": "GLM-Z1-AirX"}</c>, or a media field in a shape no SDK reads (<c>{"image_result": "text"}</c>).
    /// </summary>
    public JsonElement? FinishedFields { get; set; }

    /// <summary>optimized_prompt of a video task's finished bodies (the prompt as the model rewrote it); absent by default.</summary>
    public string? OptimizedPrompt { get; set; }

    /// <summary>Number of video_result items (default 1).</summary>
    public int? VideoCount { get; set; }

    /// <summary>Number of image_result items (default 1).</summary>
    public int? ImageCount { get; set; }

    /// <summary>Cover image extension: <c>jpeg</c> (default) or <c>png</c>.</summary>
    public string? CoverExtension { get; set; }

    /// <summary>Whether image_result items carry b64_json and revised_prompt (default false).</summary>
    public bool? ImageB64 { get; set; }

    /// <summary>Size in bytes of every media file of the task (default 4096).</summary>
    public long? MediaSize { get; set; }

    /// <summary>Faults consumed one per request to the async-result endpoint, before normal bodies.</summary>
    public List<FaultSpec>? Faults { get; set; }

    /// <summary>Faults per media file name (or <c>*</c> for any file), consumed one per request to that file.</summary>
    public Dictionary<string, List<FaultSpec>>? MediaFaults { get; set; }

    /// <summary>
    /// Minutes before its creation that the task finished (default: it finishes as it is polled). Its media
    /// links then live as the API's do, counted from that moment: video and cover links 1 day (1440 minutes),
    /// image links 30 days; past that every media request answers HTTP 403 as an expired signed link does.
    /// </summary>
    public int? FinishedMinutesAgo { get; set; }

    /// <summary>A shallow copy with the identity of a submitted task (the lists are shared, not copied).</summary>
    internal TaskSpec WithIdentity(string id, TaskKind kind, string model, string requestId)
    {
        var copy = (TaskSpec)MemberwiseClone();
        copy.Id = id;
        copy.Kind = kind.ToString().ToLowerInvariant();
        copy.Model = model;
        copy.RequestId = requestId;
        return copy;
    }
}
