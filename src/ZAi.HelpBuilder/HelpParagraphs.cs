using Markdig.Syntax;

namespace ZAi.HelpBuilder;

/// <summary>
/// Turns the markdown blocks of a help section into maml:para texts: a paragraph is one para, each
/// list item is one para starting with "- " or "1. ", a table is one para of aligned columns, and,
/// where allowed (parameter descriptions), a code block is one para with its lines indented by four
/// spaces. Anything else is reported as not allowed in the section.
/// </summary>
internal static class HelpParagraphs
{
    /// <summary>Get-Help indents text by about eight columns; tables are laid out to fit 80 with that.</summary>
    private const int TableWidth = 72;

    public static List<string> From(IEnumerable<Block> blocks, string section, DiagnosticBag diagnostics, bool allowCode = false)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks) Add(block, string.Empty, section, diagnostics, allowCode, paragraphs);
        return paragraphs;
    }

    private static void Add(Block block, string indent, string section, DiagnosticBag diagnostics, bool allowCode, List<string> paragraphs)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                paragraphs.Add(indent + InlineText.Render(paragraph.Inline).Replace("\n", "\n" + indent));
                break;
            case ListBlock list:
                AddList(list, indent, section, diagnostics, allowCode, paragraphs);
                break;
            case CodeBlock code when allowCode:
                var lines = MarkdownLoader.LinesOf(code).Split('\n');
                paragraphs.Add(string.Join("\n", lines.Select(line => line.Length == 0 ? line : indent + "    " + line)));
                break;
            case Markdig.Extensions.Tables.Table table:
                // Not in the PlatyPS schema (New-ExternalHelp runs the rows together), but common in
                // PowerShell docs: one para of aligned columns, like the about topics.
                paragraphs.Add(string.Join("\n", TableRenderer.Render(table, TableWidth - indent.Length).Select(line => indent + line)));
                break;
            case LinkReferenceDefinitionGroup:
                break;
            default:
                diagnostics.Error(block.Line, $"{MarkdownLoader.Describe(block, capitalized: true)} is not allowed in {section}: the PlatyPS schema takes only text, lists and tables there.");
                break;
        }
    }

    private static void AddList(ListBlock list, string indent, string section, DiagnosticBag diagnostics, bool allowCode, List<string> paragraphs)
    {
        var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}{list.OrderedDelimiter} " : "- ";
            var continuation = indent + new string(' ', marker.Length);
            var first = true;
            foreach (var child in item)
            {
                if (first && child is ParagraphBlock paragraph)
                {
                    paragraphs.Add(indent + marker + InlineText.Render(paragraph.Inline).Replace("\n", "\n" + continuation));
                }
                else
                {
                    Add(child, continuation, section, diagnostics, allowCode, paragraphs);
                }
                first = false;
            }
            if (item.Count == 0) paragraphs.Add(indent + marker.TrimEnd());
        }
    }
}
