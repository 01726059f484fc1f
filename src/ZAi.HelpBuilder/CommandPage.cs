namespace ZAi.HelpBuilder;

/// <summary>
/// One cmdlet help page in the PlatyPS schema 2.0.0. Text sections are lists of paragraphs, the
/// unit of maml:para; markdown lists arrive as one paragraph per item ("- text").
/// </summary>
internal sealed class CommandPage
{
    public required string SourcePath { get; init; }
    public required string Name { get; init; }
    /// <summary>The "external help file" of the front matter: the MAML file this page goes into.</summary>
    public required string ExternalHelpFile { get; init; }
    /// <summary>The "online version" of the front matter: the address Get-Help -Online opens; null when the page has none.</summary>
    public string? OnlineVersion { get; init; }
    public required IReadOnlyList<string> Synopsis { get; init; }
    public required IReadOnlyList<string> Description { get; init; }
    public required IReadOnlyList<SyntaxBlock> Syntax { get; init; }
    public required IReadOnlyList<ParameterDoc> Parameters { get; init; }
    public required IReadOnlyList<TypeDoc> Inputs { get; init; }
    public required IReadOnlyList<TypeDoc> Outputs { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
    public required IReadOnlyList<ExampleDoc> Examples { get; init; }
    public required IReadOnlyList<LinkDoc> Links { get; init; }

    public string Verb => Name.Split('-')[0];

    public string Noun => Name.Substring(Math.Min(Verb.Length + 1, Name.Length));
}

/// <summary>A "### SetName" entry of SYNTAX with its code block; IsDefault for "SetName (Default)".</summary>
internal sealed record SyntaxBlock(string ParameterSetName, bool IsDefault, string Code, int Line);

/// <summary>A "### -Name" entry of PARAMETERS: its description and one metadata block per ```yaml block.</summary>
internal sealed record ParameterDoc(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata, int Line);

/// <summary>The keys of a parameter's ```yaml block.</summary>
internal sealed record ParameterMetadata(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position,
    string? DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    public const string AllParameterSets = "(All)";

    public bool IsSwitch =>
        Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase) ||
        Type.Equals("switch", StringComparison.OrdinalIgnoreCase) ||
        Type.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

    public bool IsNamed => !int.TryParse(Position, out _);

    public bool AppliesTo(string parameterSetName) =>
        ParameterSets.Any(set => set.Equals(AllParameterSets, StringComparison.OrdinalIgnoreCase) ||
                                 set.Equals(parameterSetName, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A "### TypeName" entry of INPUTS or OUTPUTS.</summary>
internal sealed record TypeDoc(string TypeName, IReadOnlyList<string> Description);

/// <summary>
/// A "### Example N: Title" entry: the code of its code blocks and the paragraphs after them. Text
/// between the heading and the first code block, which New-ExternalHelp drops, leads the remarks.
/// </summary>
internal sealed record ExampleDoc(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A link of RELATED LINKS; Uri is empty for links that are not absolute (such as Other-Cmdlet.md).</summary>
internal sealed record LinkDoc(string Text, string Uri);
