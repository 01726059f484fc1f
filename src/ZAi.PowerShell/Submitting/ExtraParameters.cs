using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// The -Parameter hashtable: model-specific body fields the cmdlets have no parameter for (style, aspect_ratio,
    /// movement_amplitude, watermark_enabled, and fields the API adds later). Values the API documents are checked.
    /// </summary>
    internal static class ExtraParameters
    {
        private static readonly Dictionary<string, string[]> DocumentedValues = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["style"] = new[] { "general", "anime" },
            ["aspect_ratio"] = new[] { "16:9", "9:16", "1:1" },
            ["movement_amplitude"] = new[] { "auto", "small", "medium", "large" },
        };

        private static readonly HashSet<string> BooleanFields = new HashSet<string>(StringComparer.Ordinal) { "watermark_enabled", "with_audio" };

        /// <summary>Appends the entries of <paramref name="parameters"/> to <paramref name="fields"/>.</summary>
        /// <param name="namedFields">Body field name to the cmdlet parameter that sets it; such keys are refused.</param>
        public static void AddTo(List<KeyValuePair<string, object?>> fields, IDictionary? parameters, IReadOnlyDictionary<string, string> namedFields)
        {
            if (parameters is null) return;
            foreach (DictionaryEntry entry in parameters)
            {
                var key = JsonBodyWriter.Unwrap(entry.Key)?.ToString() ?? string.Empty;
                if (key.Trim().Length == 0 || key.Any(char.IsControl))
                {
                    throw new ArgumentException("-Parameter has an empty key or a key with a control character; keys are API field names such as 'style'.");
                }
                if (namedFields.TryGetValue(key, out var parameter))
                {
                    throw new ArgumentException($"-Parameter key '{key}' is what {parameter} sets; use {parameter} instead.");
                }
                if (fields.Any(field => string.Equals(field.Key, key, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new ArgumentException($"-Parameter has the key '{key}' twice (keys are compared without case).");
                }
                var value = JsonBodyWriter.Unwrap(entry.Value);
                CheckNesting(key, value, new List<object>());
                CheckDocumented(key, value);
                JsonBodyWriter.Check(key, value);
                fields.Add(new KeyValuePair<string, object?>(key, value));
            }
        }

        private const int MaxDepth = 64;

        /// <summary>Refuses a value that contains itself (a hashtable holding itself) or is nested absurdly deep.</summary>
        private static void CheckNesting(string key, object? value, List<object> path)
        {
            value = JsonBodyWriter.Unwrap(value);
            if (value is string || !(value is IEnumerable container)) return;
            if (path.Any(outer => ReferenceEquals(outer, container)))
            {
                throw new ArgumentException($"-Parameter '{key}' contains itself (a hashtable or array that holds a reference to itself); it cannot be sent as JSON.");
            }
            if (path.Count >= MaxDepth)
            {
                throw new ArgumentException($"-Parameter '{key}' is nested more than {MaxDepth} levels deep; it cannot be sent as JSON.");
            }
            path.Add(container);
            if (container is IDictionary map)
            {
                foreach (DictionaryEntry entry in map) CheckNesting(key, entry.Value, path);
            }
            else
            {
                foreach (var item in container) CheckNesting(key, item, path);
            }
            path.RemoveAt(path.Count - 1);
        }

        private static void CheckDocumented(string key, object? value)
        {
            if (BooleanFields.Contains(key) && !(value is bool))
            {
                throw new ArgumentException($"-Parameter '{key}' must be $true or $false, not '{value}'.");
            }
            if (DocumentedValues.TryGetValue(key, out var allowed) && !(value is string text && allowed.Contains(text)))
            {
                throw new ArgumentException($"-Parameter '{key}' is '{value}'; the API takes one of: {string.Join(", ", allowed)}.");
            }
        }
    }
}
