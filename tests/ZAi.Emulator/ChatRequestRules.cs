using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>The fields <c>POST /api/paas/v4/async/chat/completions</c> accepts: the ordinary chat body; the first violation wins.</summary>
internal static class ChatRequestRules
{
    public static readonly string[] Models = ["glm-4.6", "glm-4.5", "glm-4.5-air", "glm-4.5-flash", "glm-4.5v", "glm-4-plus", "glm-4-32b-0414-128k"];

    private static readonly string[] Roles = ["system", "user", "assistant", "tool"];

    public static ValidSubmission Check(SubmissionFields fields)
    {
        string model = SubmissionValidator.Model(fields, Models, SubmissionEndpoint.ChatPath);
        if (fields.Get("messages") is not { ValueKind: JsonValueKind.Array } messages || messages.GetArrayLength() == 0)
        {
            throw SubmissionRejectedException.Field("messages is required: a non-empty array of {role, content}.");
        }
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string? role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (role is null || Array.IndexOf(Roles, role) < 0)
            {
                throw SubmissionRejectedException.Field($"messages: role must be one of {SubmissionFields.Quoted(Roles)}.");
            }
            if (!message.TryGetProperty("content", out JsonElement content) || content.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                throw SubmissionRejectedException.Field("messages: content is required.");
            }
        }
        if (fields.Get("temperature") is { } t && (t.ValueKind != JsonValueKind.Number || t.GetDouble() is < 0 or > 1))
        {
            throw SubmissionRejectedException.Field("temperature must be a number from 0 to 1.");
        }
        fields.StringOfLength("user_id", 6, 128);
        return new ValidSubmission(model, fields.StringOfLength("request_id", 6, 64));
    }

    /// <summary>The text of the last user message of a submitted body ("" when there is none).</summary>
    public static string LastUserText(string? body)
    {
        if (string.IsNullOrEmpty(body)) return "";
        using JsonDocument document = JsonDocument.Parse(body);
        string last = "";
        if (document.RootElement.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement message in messages.EnumerateArray())
            {
                if (message.TryGetProperty("role", out JsonElement role) && role.ValueEquals("user") && message.TryGetProperty("content", out JsonElement content))
                {
                    last = content.ValueKind == JsonValueKind.String ? content.GetString()! : content.GetRawText();
                }
            }
        }
        return last;
    }
}
