using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>A submission that passed validation: what the created task takes from it.</summary>
/// <param name="Model">The requested model.</param>
/// <param name="RequestId">The request_id sent, or null when the body had none.</param>
internal sealed record ValidSubmission(string Model, string? RequestId);

/// <summary>
/// Checks a submission body the way the real API does: not a JSON object → 1210, missing or unknown
/// model → 1211, any other field problem → 1214; each as <see cref="SubmissionRejectedException"/>.
/// </summary>
internal static class SubmissionValidator
{
    public static ValidSubmission Validate(TaskKind kind, byte[]? body)
    {
        SubmissionFields fields = SubmissionFields.Parse(body);
        return kind switch
        {
            TaskKind.Video => VideoRequestRules.Check(fields),
            TaskKind.Image => ImageRequestRules.Check(fields),
            TaskKind.Chat => ChatRequestRules.Check(fields),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only video, image and chat tasks are submitted here (agents: AgentsEndpoint)."),
        };
    }

    /// <summary>The model field, which must be one of <paramref name="models"/> (else code 1211).</summary>
    public static string Model(SubmissionFields fields, string[] models, string path)
    {
        string accepted = $"POST {path} accepts {string.Join(", ", models)}.";
        JsonElement? value = fields.Get("model");
        if (value is null)
        {
            throw new SubmissionRejectedException(SubmissionRejectedException.UnknownModel, $"Unknown model '': model is required; {accepted}");
        }
        string shown = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value.Value.GetRawText();
        return Array.IndexOf(models, shown) >= 0 && value.Value.ValueKind == JsonValueKind.String
            ? shown
            : throw new SubmissionRejectedException(SubmissionRejectedException.UnknownModel, $"Unknown model '{shown}'; {accepted}");
    }
}
