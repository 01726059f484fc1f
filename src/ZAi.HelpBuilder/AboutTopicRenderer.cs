using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace ZAi.HelpBuilder;

/// <summary>
/// Renders about_*.md as the plain text of a Windows PowerShell about topic (about_*.help.txt):
///
///   TOPIC
///       about_Name
///
///   SHORT DESCRIPTION
///       Text, indented four spaces and wrapped at 80 columns.
///
/// Level 2 headings become upper-case section titles at the margin, level 3 and lower headings
/// upper-case subtitles indented two spaces. Code blocks are indented four spaces more than the
/// text and never wrapped; lists get hanging indents; pipe tables become aligned columns.
/// Get-Help reads the line after SHORT DESCRIPTION as the topic's synopsis, so that section is required.
/// </summary>
internal static class AboutTopicRenderer
{
    private const int Width = 80;
    private const string BodyIndent = "    ";
    private const string CodeIndent = "    ";

    public static string? Render(string text, string topicName, DiagnosticBag diagnostics)
    {
        var document = MarkdownLoader.Parse(text);
        var blocks = document.Where(block => block is not Markdig.Extensions.Yaml.YamlFrontMatterBlock and not LinkReferenceDefinitionGroup).ToList();

        if (blocks.Count == 0 || blocks[0] is not HeadingBlock { Level: 1 } title)
        {
            diagnostics.Error(blocks.Count > 0 ? blocks[0].Line : -1, $"An about topic must start with '# {topicName}'.");
            return null;
        }
        var titleText = InlineText.Render(title.Inline);
        if (!titleText.Equals(topicName, StringComparison.Ordinal))
        {
            diagnostics.Error(title.Line, $"The title '# {titleText}' does not match the file name: it must be '# {topicName}'.");
        }

        var sections = blocks.OfType<HeadingBlock>().Where(h => h.Level == 2).Select(h => InlineText.Render(h.Inline).ToUpperInvariant()).ToList();
        foreach (var required in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION" }.Where(r => !sections.Contains(r)))
        {
            diagnostics.Error(-1, $"An about topic needs a '## {required}' section.");
        }
        var shortDescription = blocks.SkipWhile(b => !(b is HeadingBlock { Level: 2 } h && InlineText.Render(h.Inline).Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase))).Skip(1).FirstOrDefault();
        if (sections.Contains("SHORT DESCRIPTION") && shortDescription is not ParagraphBlock)
        {
            diagnostics.Error(shortDescription?.Line ?? title.Line, "## SHORT DESCRIPTION must start with a paragraph: Get-Help shows it as the topic's synopsis.");
        }

        var output = new List<string> { "TOPIC", BodyIndent + titleText };
        Block previous = title;
        foreach (var block in blocks.Skip(1))
        {
            var before = previous;
            previous = block;
            if (block is HeadingBlock heading)
            {
                if (heading.Level == 1)
                {
                    diagnostics.Error(heading.Line, "An about topic has one level 1 heading, its title.");
                    continue;
                }
                output.Add(string.Empty);
                var headingText = InlineText.Render(heading.Inline).ToUpperInvariant();
                output.Add(heading.Level == 2 ? headingText : "  " + headingText);
                continue;
            }
            // A blank line between blocks, none between a heading and its first block, and none
            // between one-word paragraphs in a row, such as the topic names under SEE ALSO.
            if (before is not HeadingBlock && !(IsSingleWord(block) && IsSingleWord(before))) output.Add(string.Empty);
            RenderBlock(block, BodyIndent, BodyIndent, output, diagnostics);
        }

        if (diagnostics.HasErrors) return null;
        return string.Join("\r\n", output.Select(line => line.TrimEnd())) + "\r\n";
    }

    /// <param name="firstIndent">The indent of the block's first line (a list item carries its marker here).</param>
    /// <param name="indent">The indent of its other lines.</param>
    private static void RenderBlock(Block block, string firstIndent, string indent, List<string> output, DiagnosticBag diagnostics)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                AddWrapped(InlineText.Render(paragraph.Inline), firstIndent, indent, output);
                break;
            case CodeBlock code:
                if (firstIndent != indent) output.Add(firstIndent.TrimEnd());
                output.AddRange(MarkdownLoader.LinesOf(code).Split('\n').Select(line => line.Length == 0 ? line : indent + CodeIndent + line));
                break;
            case ListBlock list:
                RenderList(list, firstIndent, indent, output, diagnostics);
                break;
            case Table table:
                var lines = TableRenderer.Render(table, Width - indent.Length).ToList();
                for (var i = 0; i < lines.Count; i++) output.Add((i == 0 ? firstIndent : indent) + lines[i]);
                break;
            case QuoteBlock quote:
                RenderChildren(quote, firstIndent + "  ", indent + "  ", output, diagnostics);
                break;
            case ThematicBreakBlock:
                output.Add(firstIndent + new string('-', Math.Max(3, Width - indent.Length - 4)));
                break;
            case HtmlBlock html:
                output.AddRange(MarkdownLoader.LinesOf(html).Split('\n').Select(line => indent + line));
                break;
            default:
                diagnostics.Error(block.Line, $"{MarkdownLoader.Describe(block)} cannot be rendered in an about topic.");
                break;
        }
    }

    private static void RenderList(ListBlock list, string firstIndent, string indent, List<string> output, DiagnosticBag diagnostics)
    {
        var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
        var first = true;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            if (!first && list.IsLoose) output.Add(string.Empty);
            var marker = list.IsOrdered ? $"{number++}{list.OrderedDelimiter} " : "- ";
            var itemFirstIndent = (first ? firstIndent : indent) + marker;
            var itemIndent = indent + new string(' ', marker.Length);
            RenderChildren(item, itemFirstIndent, itemIndent, output, diagnostics, list.IsLoose);
            first = false;
        }
    }

    private static void RenderChildren(ContainerBlock container, string firstIndent, string indent, List<string> output, DiagnosticBag diagnostics, bool loose = true)
    {
        var first = true;
        foreach (var child in container)
        {
            if (!first && loose) output.Add(string.Empty);
            RenderBlock(child, first ? firstIndent : indent, indent, output, diagnostics);
            first = false;
        }
        if (first) output.Add(firstIndent.TrimEnd());
    }

    private static bool IsSingleWord(Block block) =>
        block is ParagraphBlock paragraph && InlineText.Render(paragraph.Inline) is { Length: > 0 } text && !text.Contains(' ') && !text.Contains('\n');

    private static void AddWrapped(string text, string firstIndent, string indent, List<string> output)
    {
        var lines = TextWrapper.Wrap(text, Width - indent.Length);
        for (var i = 0; i < lines.Count; i++) output.Add((i == 0 ? firstIndent : indent) + lines[i]);
    }
}
