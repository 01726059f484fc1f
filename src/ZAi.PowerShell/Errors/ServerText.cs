using System.Text;

namespace ZAi.PowerShell.Errors
{
    /// <summary>
    /// Makes text that may hold what a server sent fit for a message: control characters (ESC sequences that
    /// would recolour or rewrite the console, line breaks that forge extra lines) and bidirectional overrides
    /// (which display text in another order than it is) become '?'.
    /// </summary>
    internal static class ServerText
    {
        public static string Printable(string text)
        {
            StringBuilder? builder = null;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (!char.IsControl(c) && !IsBidiOverride(c)) continue;
                builder ??= new StringBuilder(text);
                builder[i] = '?';
            }
            return builder?.ToString() ?? text;
        }

        public static string? PrintableOrNull(string? text) => text is null ? null : Printable(text);

        private static bool IsBidiOverride(char c) => (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }
}
