using Markdig.Syntax;

namespace ZAi.HelpBuilder;

/// <summary>The YAML front matter of a cmdlet page: which MAML file it goes into, its online address and its schema version.</summary>
internal static class FrontMatter
{
    public const string SupportedSchema = "2.0.0";

    /// <returns>The "external help file" value (null after reporting what is wrong) and the "online version" (null when empty or wrong).</returns>
    public static (string? ExternalHelpFile, string? OnlineVersion) Read(MarkdownDocument document, DiagnosticBag diagnostics)
    {
        var block = MarkdownLoader.FrontMatter(document);
        var file = ReadExternalHelpFile(document, diagnostics, out var map, out var keyLines);
        string? online = null;
        if (block is not null && map is not null && !string.IsNullOrWhiteSpace(map.GetValueOrDefault("online version")))
        {
            // Get-Help -Online opens the first related link with an address: the build writes this one first.
            online = map["online version"]!.Trim();
            if (!InlineText.IsAbsoluteWebUrl(online))
            {
                diagnostics.Error(keyLines.GetValueOrDefault("online version", block.Line), $"The front matter's 'online version: {online}' must be an absolute http or https address, the page Get-Help -Online opens.");
                online = null;
            }
        }
        return (file, online);
    }

    private static string? ReadExternalHelpFile(MarkdownDocument document, DiagnosticBag diagnostics, out Dictionary<string, string?>? map, out Dictionary<string, int> keyLines)
    {
        map = null;
        keyLines = new Dictionary<string, int>();
        var block = MarkdownLoader.FrontMatter(document);
        if (block is null)
        {
            diagnostics.Error(-1, "The page has no YAML front matter ('---' lines with 'external help file:', 'Module Name:' and 'schema: 2.0.0') at its top.");
            return null;
        }

        var lines = MarkdownLoader.LinesOf(block).Split('\n').Where(line => line.Trim() != "---" && line.Trim() != "...");
        map = YamlMap.Read(string.Join('\n', lines), "The front matter", block.Line, diagnostics, out keyLines);
        if (map is null) return null;

        var schema = map.GetValueOrDefault("schema");
        if (schema != SupportedSchema)
        {
            diagnostics.Error(keyLines.GetValueOrDefault("schema", block.Line), $"The front matter has 'schema: {schema}'; only the PlatyPS schema {SupportedSchema} is supported.");
        }

        var file = map.GetValueOrDefault("external help file");
        if (string.IsNullOrWhiteSpace(file))
        {
            diagnostics.Error(block.Line, "The front matter has no 'external help file:' (the MAML file name, such as ZAi.PowerShell.dll-Help.xml).");
            return null;
        }
        if (file.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || file.Contains('/') || file.Contains('\\') || !file.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Error(keyLines["external help file"], $"The front matter's 'external help file: {file}' must be a file name ending in -Help.xml, such as ZAi.PowerShell.dll-Help.xml.");
            return null;
        }
        return file;
    }
}
