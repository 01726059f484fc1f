using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ZAi.HelpBuilder;

/// <summary>
/// Reads a YAML block that must be a flat mapping of scalars (front matter, parameter metadata)
/// into a case-insensitive dictionary. An empty value ("Aliases:") becomes null.
/// </summary>
internal static class YamlMap
{
    /// <returns>The map, or null after reporting why the text is not a flat mapping.</returns>
    public static Dictionary<string, string?>? Read(string yaml, string what, int line, DiagnosticBag diagnostics) =>
        Read(yaml, what, line, diagnostics, out _);

    /// <param name="line">The 0-based line of the block's opening ``` or --- line; the YAML text starts on the next one.</param>
    /// <param name="keyLines">The 0-based line of each key in the file, so a problem with one value can name its own line.</param>
    public static Dictionary<string, string?>? Read(string yaml, string what, int line, DiagnosticBag diagnostics, out Dictionary<string, int> keyLines)
    {
        keyLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (Exception ex) when (ex is YamlException or ArgumentException or InvalidOperationException)
        {
            // YamlDotNet throws InvalidOperationException for some malformed flow collections ("[String").
            var reason = ex switch
            {
                YamlException error => WithoutPosition(error.Message),
                InvalidOperationException => "a value starting with '[' or '{' is read as an unclosed list; quote it",
                _ => ex.Message,
            };
            // The block's first line follows the ``` or --- line that Markdig reports.
            var at = ex is YamlException { Start.Line: > 0 } located ? line + (int)located.Start.Line : line;
            diagnostics.Error(at, $"{what} is not valid YAML: {reason}.");
            return null;
        }

        var map = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count == 0) return map;
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            diagnostics.Error(line, $"{what} must be 'Key: value' lines.");
            return null;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var keyLine = line + (int)keyNode.Start.Line;
            var key = (keyNode as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(key))
            {
                diagnostics.Error(keyLine, $"{what} has a key that is not plain text.");
                continue;
            }
            if (valueNode is not YamlScalarNode scalar)
            {
                diagnostics.Error(keyLine, $"{what}: the value of '{key}' must be plain text; quote it if it starts with '[', '{{', '*', '&' or '!'.");
                continue;
            }
            if (map.ContainsKey(key))
            {
                diagnostics.Error(keyLine, $"{what} has the key '{key}' twice.");
                continue;
            }
            map[key] = string.IsNullOrWhiteSpace(scalar.Value) ? null : scalar.Value.Trim();
            keyLines[key] = keyLine;
        }
        return map;
    }

    /// <summary>"(Line: 1, Col: 7, Idx: 6) - (Line: 1, Col: 8, Idx: 7): Mapping values are not allowed" without its position prefix.</summary>
    private static string WithoutPosition(string message)
    {
        var end = message.StartsWith('(') ? message.IndexOf("): ", StringComparison.Ordinal) : -1;
        return (end >= 0 ? message[(end + 3)..] : message).TrimEnd('.');
    }
}
