using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>
/// The top-level fields of a submission body, with typed accessors that throw
/// <see cref="SubmissionRejectedException"/> (code 1214) naming the field and the rule. A field
/// whose value is JSON null counts as absent; unknown fields are ignored.
/// </summary>
internal sealed class SubmissionFields
{
    private readonly Dictionary<string, JsonElement> _fields;

    private SubmissionFields(Dictionary<string, JsonElement> fields) => _fields = fields;

    /// <summary>Parses a body that must be a JSON object (else code 1210); a repeated field keeps its last value.</summary>
    public static SubmissionFields Parse(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            throw new SubmissionRejectedException(SubmissionRejectedException.InvalidBody, "Request body is missing; expected a JSON object.");
        }
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SubmissionRejectedException(SubmissionRejectedException.InvalidBody, "Request body is not valid JSON: " + e.Message);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SubmissionRejectedException(SubmissionRejectedException.InvalidBody, $"Request body must be a JSON object, not {Describe(root)}.");
        }
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            fields[property.Name] = property.Value;
        }
        return new SubmissionFields(fields);
    }

    /// <summary>The field's value, or null when it is absent or JSON null.</summary>
    public JsonElement? Get(string name) =>
        _fields.TryGetValue(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string field, or null when absent.</summary>
    public string? String(string name)
    {
        if (Get(name) is not { } value) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw SubmissionRejectedException.Field($"{name} must be a string, not {Describe(value)}.");
    }

    /// <summary>A string field that must not be empty, or null when absent.</summary>
    public string? NonEmptyString(string name)
    {
        string? value = String(name);
        return value is { Length: 0 } ? throw SubmissionRejectedException.Field($"{name} must not be empty.") : value;
    }

    /// <summary>A string field of <paramref name="min"/> to <paramref name="max"/> characters (Unicode code points), or null when absent.</summary>
    public string? StringOfLength(string name, int min, int max)
    {
        string? value = String(name);
        if (value is null) return null;
        int length = Characters(value);
        return length >= min && length <= max
            ? value
            : throw SubmissionRejectedException.Field($"{name} must be {min} to {max} characters long, not {length}.");
    }

    /// <summary>A string field that must be one of <paramref name="allowed"/> (case-sensitive), or null when absent.</summary>
    public string? Choice(string name, params string[] allowed)
    {
        if (Get(name) is not { } value) return null;
        return value.ValueKind == JsonValueKind.String && Array.IndexOf(allowed, value.GetString()) >= 0
            ? value.GetString()!
            : throw SubmissionRejectedException.Field($"{name} must be one of {Quoted(allowed)}, not {value.GetRawText()}.");
    }

    /// <summary>A field that must be the JSON literal true or false, or null when absent.</summary>
    public bool? Boolean(string name)
    {
        if (Get(name) is not { } value) return null;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw SubmissionRejectedException.Field($"{name} must be a boolean (true or false), not {value.GetRawText()}.");
    }

    /// <summary>A field that must be a JSON integer equal to one of <paramref name="allowed"/>, or null when absent.</summary>
    public int? IntegerChoice(string name, params int[] allowed)
    {
        if (Get(name) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && Array.IndexOf(allowed, number) >= 0
            ? number
            : throw SubmissionRejectedException.Field($"{name} must be the integer {string.Join(" or ", allowed)}, not {value.GetRawText()}.");
    }

    /// <summary>
    /// A string field of the form <c>&lt;width&gt;x&lt;height&gt;</c> (positive decimal integers, lower-case x),
    /// with its text; null when absent.
    /// </summary>
    public (string Text, int Width, int Height)? Size(string name)
    {
        string? text = String(name);
        if (text is null) return null;
        string[] parts = text.Split('x');
        return parts.Length == 2 && TryParseSide(parts[0], out int width) && TryParseSide(parts[1], out int height)
            ? (text, width, height)
            : throw SubmissionRejectedException.Field($"{name} must look like <width>x<height> (e.g. 1280x720), not '{text}'.");
    }

    private static bool TryParseSide(string text, out int value)
    {
        value = 0;
        return text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit) && text[0] != '0' &&
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Number of Unicode code points (what the API counts as characters).</summary>
    public static int Characters(string value) => value.EnumerateRunes().Count();

    /// <summary>"a string", "a number", "an array", ... for messages.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    public static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => "'" + v + "'"));
}
