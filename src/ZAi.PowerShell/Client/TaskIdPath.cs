using System;
using System.Globalization;

namespace ZAi.PowerShell.Client
{
    /// <summary>Validates task ids and turns one into exactly one escaped URL path segment.</summary>
    internal static class TaskIdPath
    {
        public const int MaxLength = 512;

        /// <summary>Null when the id is usable; otherwise why it is not.</summary>
        public static string? Problem(string? id)
        {
            if (id is null || id.Length == 0) return "The task id is empty.";
            if (id.Trim().Length == 0) return "The task id is only whitespace.";
            if (id.Length > MaxLength) return $"The task id is {id.Length} characters long; the limit is {MaxLength}.";
            for (var i = 0; i < id.Length; i++)
            {
                if (char.IsControl(id[i]))
                {
                    return $"The task id '{Shown(id)}' contains the control character U+{Code(id[i])} at position {i}.";
                }
                if (char.IsSurrogatePair(id, i))
                {
                    i++;
                }
                else if (char.IsSurrogate(id[i]))
                {
                    // Escaping would silently turn it into U+FFFD and ask for another task.
                    return $"The task id '{Shown(id)}' contains the unpaired surrogate U+{Code(id[i])} at position {i}.";
                }
            }
            if (id == "." || id == "..") return $"The task id '{id}' is not a task id.";
            return null;
        }

        private static string Code(char c) => ((int)c).ToString("X4", CultureInfo.InvariantCulture);

        /// <summary>The id escaped so that '/', '?', '#', '%', spaces and everything else stay inside one segment.</summary>
        public static string Escape(string id)
        {
            var problem = Problem(id);
            if (problem != null) throw new ArgumentException(problem, nameof(id));
            return Uri.EscapeDataString(id);
        }

        /// <summary>The id with control characters made visible, for messages.</summary>
        public static string Shown(string id)
        {
            var chars = id.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsSurrogatePair(id, i))
                {
                    i++;
                }
                else if (char.IsControl(chars[i]) || char.IsSurrogate(chars[i]))
                {
                    chars[i] = '?';
                }
            }
            var shown = new string(chars);
            return shown.Length > 80 ? shown.Substring(0, 80) + "..." : shown;
        }
    }
}
