using System.Text.RegularExpressions;

namespace ZAi.HelpBuilder;

/// <summary>
/// Reads the ```yaml block of a "### -Name" parameter entry: the keys New-MarkdownHelp writes
/// (Type, Parameter Sets, Aliases, Accepted values, Required, Position, Default value, Accept
/// pipeline input, Accept wildcard characters, and the optional Applicable).
/// </summary>
internal static partial class ParameterMetadataParser
{
    private static readonly string[] RequiredKeys =
    [
        "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters",
    ];

    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
        "Accept pipeline input", "Accept wildcard characters", "Applicable",
    };

    [GeneratedRegex(@"^(True|False)(\s*\(\s*(ByValue|ByPropertyName|FromRemainingArguments)(\s*,\s*(ByValue|ByPropertyName|FromRemainingArguments))*\s*\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PipelineInputPattern();

    public static ParameterMetadata? Parse(string yaml, string parameterName, int line, DiagnosticBag diagnostics)
    {
        var what = $"The ```yaml block of parameter -{parameterName}";
        var map = YamlMap.Read(yaml, what, line, diagnostics, out var keyLines);
        if (map is null) return null;
        // A problem with one value is reported on its own line; a missing key on the ```yaml line.
        int LineOf(string key) => keyLines.GetValueOrDefault(key, line);

        var ok = true;
        foreach (var key in map.Keys.Where(key => !KnownKeys.Contains(key)))
        {
            diagnostics.Error(LineOf(key), $"{what} has the unknown key '{key}'. Known keys: {string.Join(", ", KnownKeys)}.");
            ok = false;
        }
        foreach (var key in RequiredKeys.Where(key => !map.ContainsKey(key)))
        {
            diagnostics.Error(line, $"{what} has no '{key}:' line.");
            ok = false;
        }
        if (!ok) return null;

        var type = map["Type"];
        if (type is null) { diagnostics.Error(LineOf("Type"), $"{what} has an empty Type."); ok = false; }

        var sets = SplitList(map["Parameter Sets"]);
        if (sets.Count == 0) { diagnostics.Error(LineOf("Parameter Sets"), $"{what} has an empty 'Parameter Sets'; use (All) for every set."); ok = false; }

        var required = ReadBool(map, "Required", what, LineOf("Required"), diagnostics, ref ok);
        var globbing = ReadBool(map, "Accept wildcard characters", what, LineOf("Accept wildcard characters"), diagnostics, ref ok);

        var position = map["Position"];
        if (position is null || !(position.Equals("Named", StringComparison.OrdinalIgnoreCase) || (int.TryParse(position, out var index) && index >= 0)))
        {
            diagnostics.Error(LineOf("Position"), $"{what}: Position must be Named or a number from 0, not '{position}'.");
            ok = false;
        }

        var pipelineInput = map["Accept pipeline input"];
        if (pipelineInput is null || !PipelineInputPattern().IsMatch(pipelineInput))
        {
            diagnostics.Error(LineOf("Accept pipeline input"), $"{what}: 'Accept pipeline input' must be False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue), not '{pipelineInput}'.");
            ok = false;
        }

        if (!ok) return null;
        return new ParameterMetadata(
            Type: type!,
            ParameterSets: sets,
            Aliases: SplitList(map["Aliases"]),
            AcceptedValues: SplitList(map.GetValueOrDefault("Accepted values")),
            Required: required,
            Position: position!.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "Named" : position,
            DefaultValue: map["Default value"],
            PipelineInput: pipelineInput!,
            Globbing: globbing);
    }

    private static bool ReadBool(Dictionary<string, string?> map, string key, string what, int line, DiagnosticBag diagnostics, ref bool ok)
    {
        var value = map[key];
        if (bool.TryParse(value, out var result)) return result;
        diagnostics.Error(line, $"{what}: '{key}' must be True or False, not '{value}'.");
        ok = false;
        return false;
    }

    private static List<string> SplitList(string? value) =>
        value is null ? [] : value.Split(',').Select(part => part.Trim()).Where(part => part.Length > 0).ToList();
}
