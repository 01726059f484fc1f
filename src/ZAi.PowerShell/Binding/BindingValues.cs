using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;

namespace ZAi.PowerShell.Binding
{
    /// <summary>Small readers shared by the module's argument transformations.</summary>
    internal static class BindingValues
    {
        public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        /// <summary>Text, or a number written invariantly; null for anything else (files, dates, tables...).</summary>
        public static string? AsText(object? value)
        {
            switch (Unwrap(value))
            {
                case string text:
                    return text;
                case char c:
                    return c.ToString();
                case byte _:
                case sbyte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                case ulong _:
                case decimal _:
                    return Convert.ToString(Unwrap(value), CultureInfo.InvariantCulture);
                default:
                    return null;
            }
        }

        /// <summary>How an object is named in an error: its type and, for files, the file.</summary>
        public static string Describe(object? value)
        {
            var raw = Unwrap(value);
            if (raw is null) return "$null";
            if (raw is FileSystemInfo file) return $"the file '{file.Name}' ({raw.GetType().FullName})";
            if (value is PSObject wrapped && raw is PSCustomObject) return $"an object ({wrapped.TypeNames[0]})";
            return $"a {raw.GetType().FullName}";
        }

        /// <summary>"line 3 of 'ids.txt'" for a line read by Get-Content (which notes ReadCount and PSPath on it); null otherwise.</summary>
        public static string? SourceLine(object? value)
        {
            if (!(value is PSObject wrapped)) return null;
            var count = wrapped.Properties["ReadCount"]?.Value;
            if (!(Unwrap(count) is long || Unwrap(count) is int)) return null;
            var line = Convert.ToInt64(Unwrap(count), CultureInfo.InvariantCulture);
            var path = Unwrap(wrapped.Properties["PSPath"]?.Value) as string;
            if (path != null)
            {
                var separator = path.IndexOf("::", StringComparison.Ordinal);
                if (separator >= 0) path = path.Substring(separator + 2);
            }
            return path is null ? $"line {line}" : $"line {line} of '{path}'";
        }
    }
}
