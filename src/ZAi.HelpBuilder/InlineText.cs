using System.Text;
using Markdig.Syntax.Inlines;

namespace ZAi.HelpBuilder;

/// <summary>
/// Renders Markdig inlines as the plain text of help: inline code keeps its backticks (as PlatyPS
/// and the PowerShell docs do), emphasis loses its markers, a link becomes its text followed by the
/// URL in parentheses when the URL is absolute (relative links to other .md pages mean nothing in
/// the console), soft line breaks become spaces and hard ones line breaks.
/// </summary>
internal static class InlineText
{
    public static string Render(ContainerInline? container)
    {
        if (container is null) return string.Empty;
        var text = new StringBuilder();
        Append(container, text);
        return text.ToString().Trim();
    }

    private static void Append(Inline inline, StringBuilder text)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                var fence = new string(code.Delimiter, Math.Max(1, code.DelimiterCount));
                var padding = code.Content.StartsWith(code.Delimiter) || code.Content.EndsWith(code.Delimiter) ? " " : string.Empty;
                text.Append(fence).Append(padding).Append(code.Content).Append(padding).Append(fence);
                break;
            case LineBreakInline lineBreak:
                if (lineBreak.IsHard)
                {
                    TrimTrailingSpaces(text);
                    text.Append('\n');
                }
                else
                {
                    text.Append(' ');
                }
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
            case HtmlInline html:
                text.Append(html.Tag);
                break;
            case LinkInline link:
                AppendLink(link, text);
                break;
            case ContainerInline container:
                foreach (var child in container) Append(child, text);
                break;
            default:
                text.Append(inline.ToString());
                break;
        }
    }

    /// <summary>The text of a link without its URL, for a maml:navigationLink whose uri holds the URL.</summary>
    public static string LinkLabel(LinkInline link)
    {
        var label = new StringBuilder();
        foreach (var child in link) Append(child, label);
        return label.ToString().Trim();
    }

    private static void AppendLink(LinkInline link, StringBuilder text)
    {
        var labelText = LinkLabel(link);
        var url = link.Url ?? string.Empty;
        if (link.IsAutoLink || labelText.Length == 0)
        {
            text.Append(url);
        }
        else if (IsAbsoluteWebUrl(url) && !string.Equals(labelText, url, StringComparison.OrdinalIgnoreCase))
        {
            text.Append(labelText).Append(" (").Append(url).Append(')');
        }
        else
        {
            text.Append(labelText);
        }
    }

    public static bool IsAbsoluteWebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void TrimTrailingSpaces(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ') text.Length--;
    }
}
