using System;
using System.Globalization;
using System.Text;

namespace ZAi
{
    /// <summary>
    /// Text for table cells, measured in terminal cells (a CJK ideograph or an emoji takes two) rather than in
    /// characters. The format file uses <see cref="Fit"/> for file names, so a long name keeps its end (the
    /// suffix that tells two files of one prompt apart, and the extension) and never overflows the line.
    /// </summary>
    public static class TableText
    {
        /// <summary>The terminal cells <paramref name="text"/> takes.</summary>
        public static int Cells(string? text)
        {
            if (string.IsNullOrEmpty(text)) return 0;
            var cells = 0;
            for (var i = 0; i < text!.Length; i++)
            {
                int codePoint = text[i];
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    codePoint = char.ConvertToUtf32(text[i], text[++i]);
                }
                cells += CellsOf(codePoint);
            }
            return cells;
        }

        /// <summary>
        /// <paramref name="text"/> unchanged when it fits in <paramref name="cells"/>; otherwise its start and its
        /// end (the larger part) around '…', together at most <paramref name="cells"/> cells wide.
        /// </summary>
        public static string Fit(string? text, int cells)
        {
            if (text is null) return string.Empty;
            cells = Math.Max(cells, 8);
            if (Cells(text) <= cells) return text;
            var budget = cells - 1;
            var headBudget = budget * 2 / 5;
            var head = Take(text, headBudget, fromEnd: false);
            var tail = Take(text, budget - Cells(head), fromEnd: true);
            return head + "…" + tail;
        }

        /// <summary>Whole characters from one end of <paramref name="text"/>, at most <paramref name="cells"/> cells.</summary>
        private static string Take(string text, int cells, bool fromEnd)
        {
            var elements = StringInfo.GetTextElementEnumerator(text);
            var parts = new System.Collections.Generic.List<string>();
            while (elements.MoveNext()) parts.Add((string)elements.Current);
            if (fromEnd) parts.Reverse();
            var taken = new System.Collections.Generic.List<string>();
            var used = 0;
            foreach (var part in parts)
            {
                var width = Cells(part);
                if (used + width > cells) break;
                used += width;
                taken.Add(part);
            }
            if (fromEnd) taken.Reverse();
            var builder = new StringBuilder();
            foreach (var part in taken) builder.Append(part);
            return builder.ToString();
        }

        private static int CellsOf(int codePoint)
        {
            if (codePoint < 0x20 || (codePoint >= 0x7F && codePoint < 0xA0)) return 0;
            if (codePoint < 0x10000)
            {
                var category = CharUnicodeInfo.GetUnicodeCategory((char)codePoint);
                if (category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.EnclosingMark || category == UnicodeCategory.Format) return 0;
            }
            return IsWide(codePoint) ? 2 : 1;
        }

        /// <summary>East Asian Wide and Fullwidth ranges, and the emoji blocks terminals draw two cells wide.</summary>
        private static bool IsWide(int c) =>
            (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF)
            || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
            || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
            || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6)
            || (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x1F680 && c <= 0x1F6FF)
            || (c >= 0x20000 && c <= 0x3FFFD);
    }
}
