using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace ZAi.HelpBuilder;

/// <summary>Parses a markdown file into a Markdig AST, with YAML front matter and pipe tables.</summary>
internal static class MarkdownLoader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .Build();

    public static MarkdownDocument Parse(string text) => Markdown.Parse(text, Pipeline);

    public static YamlFrontMatterBlock? FrontMatter(MarkdownDocument document) =>
        document.Count > 0 ? document[0] as YamlFrontMatterBlock : null;

    /// <summary>The lines of a leaf block (code, front matter), joined with '\n', without a trailing newline.</summary>
    public static string LinesOf(LeafBlock block)
    {
        var lines = block.Lines;
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) text.Append('\n');
            text.Append(lines.Lines[i].Slice.ToString());
        }
        return text.ToString().TrimEnd('\n', '\r', ' ', '\t');
    }

    /// <summary>Describes a block for error messages: "a code block", "a table" and so on.</summary>
    public static string Describe(Block block, bool capitalized = false)
    {
        var text = DescribeLower(block);
        return capitalized ? char.ToUpperInvariant(text[0]) + text[1..] : text;
    }

    private static string DescribeLower(Block block) => block switch
    {
        YamlFrontMatterBlock => "YAML front matter",
        FencedCodeBlock fenced when !string.IsNullOrEmpty(fenced.Info) => $"a ```{fenced.Info} code block",
        CodeBlock => "a code block",
        HeadingBlock heading => $"a level {heading.Level} heading",
        ParagraphBlock => "a paragraph",
        ListBlock => "a list",
        QuoteBlock => "a block quote",
        HtmlBlock => "an HTML block",
        ThematicBreakBlock => "a horizontal rule",
        Markdig.Extensions.Tables.Table => "a table",
        _ => block.GetType().Name,
    };
}
