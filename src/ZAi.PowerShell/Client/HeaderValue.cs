using System;
using System.Globalization;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Checks text the module puts in a request header. HttpClient's TryAddWithoutValidation sends CR and LF as they
    /// are, so an unchecked value ("en`r`nX-Injected: 1") would add headers of its own.
    /// </summary>
    internal static class HeaderValue
    {
        /// <summary>Null when <paramref name="value"/> is a safe header value; otherwise why not.</summary>
        public static string? Problem(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c < ' ' || c == '\u007F')
                {
                    return $"contains the control character U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)} at position {i + 1}; header values cannot hold line breaks or control characters";
                }
                if (c > '\u007E')
                {
                    return $"contains the non-ASCII character '{c}' at position {i + 1}; header values are ASCII";
                }
            }
            return null;
        }

        /// <exception cref="ArgumentException">The value is not safe, naming <paramref name="what"/>.</exception>
        public static string Check(string value, string what)
        {
            var problem = Problem(value);
            if (problem != null) throw new ArgumentException($"{what} {problem}.");
            return value;
        }
    }
}
