using System.Globalization;

namespace ZAi.PowerShell.Binding
{
    /// <summary>
    /// Counts the pipeline records a cmdlet receives, so an error about one of them names it: with
    /// Import-Csv, record 3 is the CSV's third data row.
    /// </summary>
    internal sealed class InputRows
    {
        private const int MaxPromptShown = 40;
        private int _count;

        public void Next() => _count++;

        /// <summary>Records received so far: the current one's row number.</summary>
        public int Count => _count;

        /// <summary>"Row 3 of the input (prompt 'A fox'): " when the records come from the pipeline; empty otherwise.</summary>
        public string Label(bool fromPipeline, string? prompt)
        {
            if (!fromPipeline || _count == 0) return string.Empty;
            var shown = prompt is null ? string.Empty : $" (prompt '{Shortened(prompt)}')";
            return "Row " + _count.ToString(CultureInfo.InvariantCulture) + " of the input" + shown + ": ";
        }

        /// <summary>"Prompt 'A fox': " for an error about a task or request outside a counted input; empty without a prompt.</summary>
        public static string PromptLabel(string? prompt) => string.IsNullOrEmpty(prompt) ? string.Empty : $"Prompt '{Shortened(prompt!)}': ";

        private static string Shortened(string prompt) => prompt.Length > MaxPromptShown ? prompt.Substring(0, MaxPromptShown) + "..." : prompt;
    }
}
