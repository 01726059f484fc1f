using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ZAi.PowerShell.Models
{
    /// <summary>
    /// Turns JSON into plain .NET values (string, long, double, bool, object[], dictionaries) so kept
    /// fields read naturally in PowerShell and survive Export-Clixml, unlike JsonElement.
    /// </summary>
    internal static class JsonValueConverter
    {
        public static object? ToPlainValue(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in element.EnumerateObject())
                    {
                        map[property.Name] = ToPlainValue(property.Value);
                    }
                    return map;
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (var item in element.EnumerateArray())
                    {
                        items.Add(ToPlainValue(item));
                    }
                    return items.ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    if (element.TryGetInt64(out var whole)) return whole;
                    return element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }

        /// <summary>A string for a JSON scalar (strings as-is, numbers and booleans as written); null otherwise.</summary>
        public static string? ScalarText(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return element.GetRawText();
                default:
                    return null;
            }
        }

        public static string? StringProperty(JsonElement obj, string name)
        {
            return obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
                ? ScalarText(value)
                : null;
        }
    }
}
