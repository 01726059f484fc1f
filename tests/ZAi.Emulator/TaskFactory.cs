using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>Validates a <see cref="TaskSpec"/>, applies its defaults and builds the task.</summary>
internal static class TaskFactory
{
    public const long DefaultMediaSize = 4096;

    /// <summary>Builds a task; throws <see cref="ArgumentException"/> with a readable message on bad input.</summary>
    public static EmulatedTask Create(TaskSpec spec) => Create(spec, submittedBody: null);

    /// <summary>
    /// Builds a task, remembering the submission body that created it (null for tasks created
    /// through the control API); throws <see cref="ArgumentException"/> on bad input.
    /// </summary>
    public static EmulatedTask Create(TaskSpec spec, string? submittedBody)
    {
        ArgumentNullException.ThrowIfNull(spec);
        TaskKind kind = ParseKind(spec.Kind);
        string id = spec.Id ?? Guid.NewGuid().ToString("N");
        if (id.Length == 0)
        {
            throw new ArgumentException("id must not be empty.");
        }
        string model = spec.Model ?? kind switch
        {
            TaskKind.Image => "glm-image",
            TaskKind.Chat => "glm-4.5",
            TaskKind.Agent => "vidu_template_agent",
            _ => "cogvideox-3",
        };
        string outcome = NormalizeOutcome(spec.Outcome);
        string coverExtension = (spec.CoverExtension ?? "jpeg").ToLowerInvariant();
        if (coverExtension is not ("jpeg" or "jpg" or "png"))
        {
            throw new ArgumentException($"coverExtension must be jpeg or png, not '{spec.CoverExtension}'.");
        }
        var extraNames = new HashSet<string>(StringComparer.Ordinal);
        JsonElement? extra = FieldsObject(spec.ExtraFields, "extraFields", extraNames);
        JsonElement? processingFields = FieldsObject(spec.ProcessingFields, "processingFields", null);
        JsonElement? finishedFields = FieldsObject(spec.FinishedFields, "finishedFields", null);
        bool resultAsObject = (spec.ResultShape?.ToLowerInvariant()) switch
        {
            null or "list" => false,
            "object" => true,
            _ => throw new ArgumentException($"resultShape must be list or object, not '{spec.ResultShape}'."),
        };
        var shape = new TaskShape(
            ProcessingMs: NonNegative(spec.ProcessingMs, 0, "processingMs"),
            ProcessingPolls: NonNegative(spec.ProcessingPolls, 0, "processingPolls"),
            InitialStatus: spec.InitialStatus,
            IncludeIdField: spec.IncludeIdField ?? true,
            ExtraFields: extra,
            ExtraFieldNames: extraNames,
            VideoCount: NonNegative(spec.VideoCount, 1, "videoCount"),
            ImageCount: NonNegative(spec.ImageCount, 1, "imageCount"),
            CoverExtension: coverExtension,
            ImageB64: spec.ImageB64 ?? false,
            MediaSize: spec.MediaSize ?? DefaultMediaSize,
            FinishedMinutesAgo: spec.FinishedMinutesAgo is null ? null : NonNegative(spec.FinishedMinutesAgo, 0, "finishedMinutesAgo"))
        {
            ResultAsObject = resultAsObject,
            ProcessingFields = processingFields,
            FinishedFields = finishedFields,
            OptimizedPrompt = spec.OptimizedPrompt,
        };
        if (shape.MediaSize < 0)
        {
            throw new ArgumentException("mediaSize must not be negative.");
        }
        var faults = (spec.Faults ?? []).Select(f => Fault.From(f, forMedia: false)).ToList();
        var mediaFaults = new Dictionary<string, Queue<Fault>>(StringComparer.Ordinal);
        foreach ((string file, List<FaultSpec> list) in spec.MediaFaults ?? [])
        {
            mediaFaults[file] = new Queue<Fault>((list ?? []).Select(f => Fault.From(f, forMedia: true)));
        }
        var task = new EmulatedTask(
            id,
            kind,
            model,
            outcome,
            spec.RequestId ?? Guid.NewGuid().ToString("N"),
            shape,
            faults,
            mediaFaults,
            submittedBody);
        RealMedia.Register(task);
        return task;
    }

    /// <summary>A copy of a JSON object of fields (null when absent); its names are added to <paramref name="names"/> when given.</summary>
    private static JsonElement? FieldsObject(JsonElement? given, string name, HashSet<string>? names)
    {
        if (given is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"{name} must be a JSON object.");
        }
        if (names is not null)
        {
            foreach (JsonProperty property in value.EnumerateObject())
            {
                names.Add(property.Name);
            }
        }
        return value.Clone();
    }

    private static TaskKind ParseKind(string? kind) => kind?.ToLowerInvariant() switch
    {
        null or "video" => TaskKind.Video,
        "image" => TaskKind.Image,
        "chat" => TaskKind.Chat,
        "agent" => TaskKind.Agent,
        _ => throw new ArgumentException($"kind must be video, image, chat or agent, not '{kind}'."),
    };

    private static string NormalizeOutcome(string? outcome)
    {
        if (outcome is null || outcome.Equals("SUCCESS", StringComparison.OrdinalIgnoreCase)) return "SUCCESS";
        if (outcome.Equals("FAIL", StringComparison.OrdinalIgnoreCase)) return "FAIL";
        return outcome;
    }

    private static int NonNegative(int? value, int fallback, string name)
    {
        int result = value ?? fallback;
        return result >= 0 ? result : throw new ArgumentException($"{name} must not be negative.");
    }
}
