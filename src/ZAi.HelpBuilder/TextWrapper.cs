using System.Text;

namespace ZAi.HelpBuilder;

/// <summary>Word-wraps text into lines of at most a given width; a word longer than the width gets a line of its own.</summary>
internal static class TextWrapper
{
    /// <summary>Wraps each line of the text ('\n' is kept as a line break); returns at least one line.</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        foreach (var paragraphLine in text.Split('\n'))
        {
            var current = new StringBuilder();
            foreach (var word in paragraphLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (current.Length > 0 && current.Length + 1 + word.Length > width)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }
                if (current.Length > 0) current.Append(' ');
                current.Append(word);
            }
            lines.Add(current.ToString());
        }
        return lines;
    }

    /// <summary>Like Wrap, but breaks words longer than the width, for table cells that must keep their column.</summary>
    public static List<string> WrapHard(string text, int width)
    {
        var lines = new List<string>();
        foreach (var line in Wrap(text, width))
        {
            for (var start = 0; start < line.Length || start == 0; start += width)
            {
                lines.Add(line.Substring(start, Math.Min(width, line.Length - start)));
                if (line.Length == 0) break;
            }
        }
        return lines;
    }

    public static int LongestWord(string text) =>
        text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(word => word.Length).DefaultIfEmpty(0).Max();
}
