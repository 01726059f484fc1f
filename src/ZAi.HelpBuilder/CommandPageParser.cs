using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ZAi.HelpBuilder;

/// <summary>
/// Reads a cmdlet page in the PlatyPS schema 2.0.0 from its Markdig AST:
/// front matter, "# Name", then "## SYNOPSIS", "## SYNTAX" (### SetName + code block),
/// "## DESCRIPTION", "## EXAMPLES" (### Title, code blocks, remarks), "## PARAMETERS"
/// (### -Name, description, ```yaml metadata; ### CommonParameters), "## INPUTS" and
/// "## OUTPUTS" (### TypeName, description), "## NOTES" and "## RELATED LINKS" (links).
/// Every departure from that layout is reported with its line; the result is null if any was.
/// </summary>
internal static class CommandPageParser
{
    private const string Synopsis = "SYNOPSIS";
    private const string Syntax = "SYNTAX";
    private const string Description = "DESCRIPTION";
    private const string Examples = "EXAMPLES";
    private const string Parameters = "PARAMETERS";
    private const string Inputs = "INPUTS";
    private const string Outputs = "OUTPUTS";
    private const string Notes = "NOTES";
    private const string RelatedLinks = "RELATED LINKS";

    private static readonly string[] KnownSections = [Synopsis, Syntax, Description, Examples, Parameters, Inputs, Outputs, Notes, RelatedLinks];
    private static readonly string[] RequiredSections = [Synopsis, Syntax, Description, Examples, Parameters];

    public static CommandPage? Parse(string text, string expectedName, DiagnosticBag diagnostics)
    {
        var document = MarkdownLoader.Parse(text);
        var (externalHelpFile, onlineVersion) = FrontMatter.Read(document, diagnostics);

        var blocks = document.Where(block => block is not Markdig.Extensions.Yaml.YamlFrontMatterBlock and not LinkReferenceDefinitionGroup).ToList();
        ReadTitle(blocks, expectedName, diagnostics);
        var sections = SplitSections(blocks.Skip(1), diagnostics);

        foreach (var required in RequiredSections.Where(required => !sections.ContainsKey(required)))
        {
            diagnostics.Error(-1, $"The page has no '## {required}' section.");
        }

        var synopsis = TextSection(sections, Synopsis, diagnostics);
        var description = TextSection(sections, Description, diagnostics);
        if (sections.ContainsKey(Synopsis) && synopsis.Count == 0) diagnostics.Error(sections[Synopsis].Line, "## SYNOPSIS is empty.");
        if (sections.ContainsKey(Description) && description.Count == 0) diagnostics.Error(sections[Description].Line, "## DESCRIPTION is empty.");

        var page = new CommandPage
        {
            SourcePath = diagnostics.File,
            // The file name, also when the title differs (reported above), so that the checks below do not repeat it.
            Name = expectedName,
            ExternalHelpFile = externalHelpFile ?? string.Empty,
            OnlineVersion = onlineVersion,
            Synopsis = synopsis,
            Description = description,
            Syntax = sections.TryGetValue(Syntax, out var syntax) ? ReadSyntax(syntax, diagnostics) : [],
            Parameters = sections.TryGetValue(Parameters, out var parameters) ? ReadParameters(parameters, diagnostics) : [],
            Inputs = sections.TryGetValue(Inputs, out var inputs) ? ReadTypes(inputs, diagnostics) : [],
            Outputs = sections.TryGetValue(Outputs, out var outputs) ? ReadTypes(outputs, diagnostics) : [],
            Notes = TextSection(sections, Notes, diagnostics),
            Examples = sections.TryGetValue(Examples, out var examples) ? ReadExamples(examples, diagnostics) : [],
            Links = sections.TryGetValue(RelatedLinks, out var links) ? ReadLinks(links, diagnostics) : [],
        };

        if (sections.TryGetValue(Examples, out var examplesSection) && page.Examples.Count == 0)
        {
            diagnostics.Error(examplesSection.Line, "## EXAMPLES has no '### Example 1: ...' entry.");
        }
        CheckPlaceholders(page, diagnostics);
        SyntaxItems.Validate(page, diagnostics);
        return diagnostics.HasErrors ? null : page;
    }

    private sealed record Section(string Title, int Line, List<Block> Blocks);

    /// <summary>A heading and the blocks up to the next heading of the same or a higher level.</summary>
    private sealed record Entry(HeadingBlock Heading, string Title, List<Block> Blocks);

    private static string? ReadTitle(List<Block> blocks, string expectedName, DiagnosticBag diagnostics)
    {
        if (blocks.Count == 0 || blocks[0] is not HeadingBlock { Level: 1 } title)
        {
            diagnostics.Error(blocks.Count > 0 ? blocks[0].Line : -1, $"The page must start (after the front matter) with '# {expectedName}'.");
            return null;
        }
        var name = HeadingText(title);
        if (!string.Equals(name, expectedName, StringComparison.Ordinal))
        {
            diagnostics.Error(title.Line, $"The title '# {name}' does not match the file name: it must be '# {expectedName}'.");
        }
        return name;
    }

    private static Dictionary<string, Section> SplitSections(IEnumerable<Block> blocks, DiagnosticBag diagnostics)
    {
        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        Section? current = null;
        foreach (var block in blocks)
        {
            if (block is HeadingBlock { Level: <= 2 } heading)
            {
                current = null;
                var title = HeadingText(heading);
                var key = title.ToUpperInvariant();
                if (heading.Level == 1)
                {
                    diagnostics.Error(heading.Line, $"A second level 1 heading '# {title}': a page documents one cmdlet.");
                }
                else if (!KnownSections.Contains(key))
                {
                    diagnostics.Error(heading.Line, $"Unknown section '## {title}'. The PlatyPS schema has: {string.Join(", ", KnownSections)}.");
                }
                else if (sections.ContainsKey(key))
                {
                    diagnostics.Error(heading.Line, $"A second '## {title}' section.");
                }
                else
                {
                    current = sections[key] = new Section(key, heading.Line, []);
                }
                continue;
            }
            if (current is null)
            {
                if (sections.Count == 0) diagnostics.Error(block.Line, $"{MarkdownLoader.Describe(block, capitalized: true)} between the title and '## SYNOPSIS'.");
                continue;
            }
            current.Blocks.Add(block);
        }
        return sections;
    }

    /// <summary>Splits a section into its "###" entries; blocks before the first one are reported.</summary>
    private static List<Entry> SplitEntries(Section section, DiagnosticBag diagnostics, string entryForm, bool allowLeadingCode = false)
    {
        var entries = new List<Entry>();
        foreach (var block in section.Blocks)
        {
            if (block is HeadingBlock heading)
            {
                if (heading.Level == 3)
                {
                    entries.Add(new Entry(heading, HeadingText(heading), []));
                    continue;
                }
                diagnostics.Error(heading.Line, $"A level {heading.Level} heading in ## {section.Title}: entries there are '{entryForm}' (level 3).");
                continue;
            }
            if (entries.Count == 0)
            {
                if (!(allowLeadingCode && block is CodeBlock))
                {
                    diagnostics.Error(block.Line, $"{MarkdownLoader.Describe(block, capitalized: true)} before the first '{entryForm}' entry of ## {section.Title}.");
                }
                continue;
            }
            entries[^1].Blocks.Add(block);
        }
        return entries;
    }

    private static List<string> TextSection(Dictionary<string, Section> sections, string name, DiagnosticBag diagnostics) =>
        sections.TryGetValue(name, out var section) ? HelpParagraphs.From(section.Blocks, $"## {name}", diagnostics) : [];

    private static List<SyntaxBlock> ReadSyntax(Section section, DiagnosticBag diagnostics)
    {
        var result = new List<SyntaxBlock>();
        // A code block without a "### SetName" heading stands for the only parameter set.
        var leading = section.Blocks.TakeWhile(block => block is CodeBlock).Cast<CodeBlock>().ToList();
        if (leading.Count > 0)
        {
            result.Add(new SyntaxBlock(SyntaxItems.AllParameterSetsName, true, MarkdownLoader.LinesOf(leading[0]), leading[0].Line));
        }
        foreach (var extra in leading.Skip(1))
        {
            diagnostics.Error(extra.Line, "A second syntax code block without a '### ParameterSetName' heading above it.");
        }
        foreach (var entry in SplitEntries(section, diagnostics, "### ParameterSetName", allowLeadingCode: true))
        {
            var codes = entry.Blocks.OfType<CodeBlock>().ToList();
            foreach (var other in entry.Blocks.Where(block => block is not CodeBlock))
            {
                diagnostics.Error(other.Line, $"{MarkdownLoader.Describe(other, capitalized: true)} in SYNTAX '{entry.Title}': only its code block belongs there.");
            }
            if (codes.Count != 1)
            {
                diagnostics.Error(entry.Heading.Line, $"SYNTAX '{entry.Title}' must have exactly one code block with the syntax line, not {codes.Count}.");
                continue;
            }
            const string defaultMarker = " (Default)";
            var isDefault = entry.Title.EndsWith(defaultMarker, StringComparison.OrdinalIgnoreCase);
            var setName = isDefault ? entry.Title[..^defaultMarker.Length].Trim() : entry.Title;
            result.Add(new SyntaxBlock(setName, isDefault, MarkdownLoader.LinesOf(codes[0]), entry.Heading.Line));
        }
        if (result.Count == 0) diagnostics.Error(section.Line, "## SYNTAX has no syntax code block.");
        return result;
    }

    private static List<ParameterDoc> ReadParameters(Section section, DiagnosticBag diagnostics)
    {
        var result = new List<ParameterDoc>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in SplitEntries(section, diagnostics, "### -Name"))
        {
            if (entry.Title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase) ||
                entry.Title.Equals("WorkflowParameters", StringComparison.OrdinalIgnoreCase))
            {
                continue; // Get-Help adds the common parameters itself.
            }
            if (!entry.Title.StartsWith('-') || entry.Title.Length < 2 || entry.Title.Contains(' '))
            {
                diagnostics.Error(entry.Heading.Line, $"The parameter heading '### {entry.Title}' must be '### -Name' (or '### CommonParameters').");
                continue;
            }
            var name = entry.Title[1..];
            if (!seen.Add(name))
            {
                diagnostics.Error(entry.Heading.Line, $"Parameter -{name} is documented twice.");
                continue;
            }

            var descriptionBlocks = entry.Blocks.TakeWhile(block => !IsYaml(block)).ToList();
            var rest = entry.Blocks.Skip(descriptionBlocks.Count).ToList();
            var metadata = new List<ParameterMetadata>();
            foreach (var block in rest)
            {
                if (!IsYaml(block))
                {
                    diagnostics.Error(block.Line, $"{MarkdownLoader.Describe(block, capitalized: true)} after the ```yaml block of parameter -{name}: its description goes before the ```yaml block.");
                    continue;
                }
                var parsed = ParameterMetadataParser.Parse(MarkdownLoader.LinesOf((CodeBlock)block), name, block.Line, diagnostics);
                if (parsed is not null) metadata.Add(parsed);
            }
            if (rest.Count == 0)
            {
                diagnostics.Error(entry.Heading.Line, $"Parameter -{name} has no ```yaml block with its metadata (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters).");
            }

            var description = HelpParagraphs.From(descriptionBlocks, $"the description of parameter -{name}", diagnostics, allowCode: true);
            if (description.Count == 0)
            {
                diagnostics.Error(entry.Heading.Line, $"Parameter -{name} has no description.");
            }
            result.Add(new ParameterDoc(name, description, metadata, entry.Heading.Line));
        }
        return result;
    }

    private static bool IsYaml(Block block) =>
        block is FencedCodeBlock fenced && string.Equals(fenced.Info, "yaml", StringComparison.OrdinalIgnoreCase);

    private static List<TypeDoc> ReadTypes(Section section, DiagnosticBag diagnostics) =>
        SplitEntries(section, diagnostics, "### TypeName")
            .Select(entry => new TypeDoc(entry.Title, HelpParagraphs.From(entry.Blocks, $"## {section.Title} '{entry.Title}'", diagnostics)))
            .ToList();

    private static List<ExampleDoc> ReadExamples(Section section, DiagnosticBag diagnostics)
    {
        var result = new List<ExampleDoc>();
        foreach (var entry in SplitEntries(section, diagnostics, "### Example 1: Title"))
        {
            // Layout: optional introduction, one or more code blocks in a row, remarks.
            var introduction = entry.Blocks.TakeWhile(block => block is not CodeBlock).ToList();
            var codes = entry.Blocks.Skip(introduction.Count).TakeWhile(block => block is CodeBlock).Cast<CodeBlock>().ToList();
            var remarks = entry.Blocks.Skip(introduction.Count + codes.Count).ToList();

            if (codes.Count == 0)
            {
                diagnostics.Error(entry.Heading.Line, $"Example '{entry.Title}' has no code block.");
                continue;
            }
            foreach (var late in remarks.OfType<CodeBlock>())
            {
                diagnostics.Error(late.Line, $"A code block after the remarks of example '{entry.Title}': the PlatyPS schema takes the code blocks of an example together, right after its title.");
            }

            var what = $"example '{entry.Title}'";
            var paragraphs = HelpParagraphs.From(introduction, what, diagnostics);
            paragraphs.AddRange(HelpParagraphs.From(remarks.Where(block => block is not CodeBlock), what, diagnostics));
            var code = string.Join("\n\n", codes.Select(MarkdownLoader.LinesOf));
            if (code.Trim().Length == 0) diagnostics.Error(codes[0].Line, $"The code block of example '{entry.Title}' is empty.");
            result.Add(new ExampleDoc(entry.Title, code, paragraphs));
        }
        return result;
    }

    private static List<LinkDoc> ReadLinks(Section section, DiagnosticBag diagnostics)
    {
        var result = new List<LinkDoc>();
        foreach (var block in section.Blocks)
        {
            if (block is not ParagraphBlock paragraph || paragraph.Inline is null)
            {
                diagnostics.Error(block.Line, $"{MarkdownLoader.Describe(block, capitalized: true)} in ## RELATED LINKS: only links, such as [Get-ZAiContext](Get-ZAiContext.md), belong there.");
                continue;
            }
            foreach (var inline in paragraph.Inline)
            {
                switch (inline)
                {
                    case LinkInline { IsImage: false } link:
                        var text = InlineText.LinkLabel(link);
                        var url = link.Url ?? string.Empty;
                        result.Add(new LinkDoc(text.Length > 0 ? text : url, InlineText.IsAbsoluteWebUrl(url) ? url : string.Empty));
                        break;
                    case AutolinkInline autolink:
                        result.Add(new LinkDoc(autolink.Url, autolink.Url));
                        break;
                    case LineBreakInline:
                        break;
                    case LiteralInline literal when literal.Content.IsEmptyOrWhitespace():
                        break;
                    default:
                        diagnostics.Error(paragraph.Line, $"'{InlineText.Render(paragraph.Inline)}' in ## RELATED LINKS is not a link: write [Name](Name.md) or [Title](https://...).");
                        goto nextBlock;
                }
            }
        nextBlock:;
        }
        return result;
    }

    /// <summary>Text that New-MarkdownHelp leaves for the author, such as "{{ Fill in the Description }}".</summary>
    private static void CheckPlaceholders(CommandPage page, DiagnosticBag diagnostics)
    {
        void Check(IEnumerable<string> texts, string where)
        {
            var placeholder = texts.FirstOrDefault(text => text.Contains("{{", StringComparison.Ordinal) && text.Contains("}}", StringComparison.Ordinal));
            if (placeholder is not null)
            {
                diagnostics.Error(-1, $"{where} still has the New-MarkdownHelp placeholder '{placeholder.Trim()}'.");
            }
        }

        Check(page.Synopsis, "## SYNOPSIS");
        Check(page.Description, "## DESCRIPTION");
        Check(page.Notes, "## NOTES");
        foreach (var parameter in page.Parameters) Check(parameter.Description, $"Parameter -{parameter.Name}");
        foreach (var type in page.Inputs.Concat(page.Outputs)) Check(type.Description.Prepend(type.TypeName), $"Type '{type.TypeName}'");
        foreach (var example in page.Examples) Check(example.Remarks.Prepend(example.Code).Prepend(example.Title), $"Example '{example.Title}'");
    }

    private static string HeadingText(HeadingBlock heading) => InlineText.Render(heading.Inline);
}
