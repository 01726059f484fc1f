using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace ZAi.HelpBuilder;

/// <summary>
/// Renders a pipe table as aligned text columns, Format-Table style: the header, a dashed line under
/// each header, then the rows. Columns that do not fit the width are narrowed and their cells
/// wrapped; when any row wraps, a blank line separates the rows.
/// </summary>
internal static class TableRenderer
{
    private const string ColumnGap = "  ";
    private const int MinimumColumnWidth = 8;

    public static IEnumerable<string> Render(Table table, int width)
    {
        var rows = table.OfType<TableRow>().ToList();
        if (rows.Count == 0) yield break;
        var columnCount = rows.Max(row => row.Count);
        var cells = rows.Select(row => Enumerable.Range(0, columnCount).Select(i => i < row.Count ? CellText((TableCell)row[i]) : string.Empty).ToArray()).ToList();
        var alignments = Enumerable.Range(0, columnCount)
            .Select(i => i < table.ColumnDefinitions.Count ? table.ColumnDefinitions[i].Alignment : null)
            .ToArray();

        var widths = ColumnWidths(cells, columnCount, width - ColumnGap.Length * (columnCount - 1));
        var wrapped = cells.Select(row => row.Select((cell, i) => TextWrapper.WrapHard(cell, widths[i])).ToArray()).ToList();
        var headerCount = rows.TakeWhile(row => row.IsHeader).Count();
        var blankBetweenRows = wrapped.Skip(headerCount).Any(row => row.Any(lines => lines.Count > 1));

        for (var r = 0; r < wrapped.Count; r++)
        {
            if (r > headerCount && blankBetweenRows) yield return string.Empty;
            foreach (var line in RowLines(wrapped[r], widths, alignments)) yield return line;
            if (r == headerCount - 1)
            {
                yield return Join(wrapped[r].Select(lines => new string('-', lines.Max(l => l.Length))).ToArray(), widths, alignments);
            }
        }
    }

    private static string CellText(TableCell cell) =>
        string.Join(" ", cell.OfType<ParagraphBlock>().Select(paragraph => InlineText.Render(paragraph.Inline).Replace('\n', ' ')));

    /// <summary>Natural widths if they fit; otherwise the narrow columns keep theirs and the wide ones share what is left.</summary>
    private static int[] ColumnWidths(List<string[]> cells, int columnCount, int available)
    {
        var natural = Enumerable.Range(0, columnCount).Select(i => Math.Max(1, cells.Max(row => row[i].Length))).ToArray();
        if (natural.Sum() <= available) return natural;

        var widths = new int[columnCount];
        var remaining = available;
        var open = Enumerable.Range(0, columnCount).OrderBy(i => natural[i]).ToList();
        while (open.Count > 0)
        {
            var share = remaining / open.Count;
            var fits = open.Where(i => natural[i] <= share).ToList();
            if (fits.Count == 0)
            {
                for (var k = 0; k < open.Count; k++) widths[open[k]] = share + (k < remaining % open.Count ? 1 : 0);
                break;
            }
            foreach (var i in fits)
            {
                widths[i] = natural[i];
                remaining -= natural[i];
                open.Remove(i);
            }
        }

        // Never split a word when the column can grow to hold it; the table then runs past the width.
        for (var i = 0; i < columnCount; i++)
        {
            var longestWord = cells.Max(row => TextWrapper.LongestWord(row[i]));
            widths[i] = Math.Max(widths[i], Math.Min(natural[i], Math.Max(MinimumColumnWidth, longestWord)));
        }
        return widths;
    }

    private static IEnumerable<string> RowLines(List<string>[] row, int[] widths, TableColumnAlign?[] alignments)
    {
        var height = row.Max(lines => lines.Count);
        for (var k = 0; k < height; k++)
        {
            yield return Join(row.Select(lines => k < lines.Count ? lines[k] : string.Empty).ToArray(), widths, alignments);
        }
    }

    private static string Join(string[] texts, int[] widths, TableColumnAlign?[] alignments)
    {
        var line = new StringBuilder();
        for (var i = 0; i < texts.Length; i++)
        {
            if (i > 0) line.Append(ColumnGap);
            var pad = Math.Max(0, widths[i] - texts[i].Length);
            switch (alignments[i])
            {
                case TableColumnAlign.Right:
                    line.Append(' ', pad).Append(texts[i]);
                    break;
                case TableColumnAlign.Center:
                    line.Append(' ', pad / 2).Append(texts[i]).Append(' ', pad - pad / 2);
                    break;
                default:
                    line.Append(texts[i]).Append(' ', pad);
                    break;
            }
        }
        return line.ToString().TrimEnd();
    }
}
