using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Writes request fields as JSON: strings, booleans, numbers, arrays and nested hashtables, as PowerShell
    /// users pass them (PSObject wrappers are unwrapped). Anything else is refused with a message naming the field.
    /// </summary>
    internal static class JsonBodyWriter
    {
        public static byte[] Write(IEnumerable<KeyValuePair<string, object?>> fields, Func<string, string, string>? shorten = null, string? skipField = null)
        {
            using var buffer = new System.IO.MemoryStream();
            // Relaxed escaping keeps non-ASCII prompts readable in -WhatIf and in the body; it is still valid JSON.
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                foreach (var field in fields)
                {
                    if (field.Key == skipField) continue;
                    writer.WritePropertyName(field.Key);
                    WriteValue(writer, field.Key, field.Value, shorten);
                }
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }

        /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="value"/> cannot be sent as JSON.</summary>
        public static void Check(string field, object? value)
        {
            using var writer = new Utf8JsonWriter(System.IO.Stream.Null);
            WriteValue(writer, field, value, null);
        }

        public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static void WriteValue(Utf8JsonWriter writer, string field, object? value, Func<string, string, string>? shorten)
        {
            value = Unwrap(value);
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string text:
                    writer.WriteStringValue(shorten is null ? text : shorten(field, text));
                    return;
                case char c:
                    writer.WriteStringValue(c.ToString());
                    return;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    return;
                case SwitchParameter switchValue:
                    writer.WriteBooleanValue(switchValue.IsPresent);
                    return;
                case byte _:
                case sbyte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    return;
                case ulong unsigned:
                    writer.WriteNumberValue(unsigned);
                    return;
                case float single when !float.IsNaN(single) && !float.IsInfinity(single):
                    writer.WriteNumberValue(single);
                    return;
                case double number when !double.IsNaN(number) && !double.IsInfinity(number):
                    writer.WriteNumberValue(number);
                    return;
                case decimal exact:
                    writer.WriteNumberValue(exact);
                    return;
                case IDictionary map:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in map)
                    {
                        var key = Unwrap(entry.Key)?.ToString();
                        if (string.IsNullOrEmpty(key)) throw new ArgumentException($"The value of '{field}' has an empty key; JSON object keys must be text.");
                        writer.WritePropertyName(key!);
                        WriteValue(writer, field + "." + key, entry.Value, shorten);
                    }
                    writer.WriteEndObject();
                    return;
                case IEnumerable list:
                    writer.WriteStartArray();
                    foreach (var item in list) WriteValue(writer, field, item, shorten);
                    writer.WriteEndArray();
                    return;
                default:
                    throw new ArgumentException(
                        $"The value of '{field}' is a {value.GetType().Name}, which cannot be sent as JSON: use a string, number, boolean, array or hashtable.");
            }
        }
    }
}
