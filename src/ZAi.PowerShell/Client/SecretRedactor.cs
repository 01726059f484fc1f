using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ZAi.PowerShell.Client
{
    /// <summary>Removes the API key from text that came from elsewhere (a server echoing a header, an exception message).</summary>
    internal static class SecretRedactor
    {
        public static string Redact(string text, ApiKey? key)
        {
            if (key is null || string.IsNullOrEmpty(text)) return text;
            var secret = key.Reveal();
            var index = text.IndexOf(secret, StringComparison.Ordinal);
            return index < 0 ? text : text.Replace(secret, key.Masked);
        }

        public static string? RedactOrNull(string? text, ApiKey? key) => text is null ? null : Redact(text, key);

        /// <summary>
        /// The document with the key masked in every string and property name, so that nothing read from an API
        /// body (task_status, request_id, messages, media URLs) can carry it to a stream or message. The document
        /// itself when it does not hold the key (the usual case); otherwise a new one, and the old one is disposed.
        /// Strings are compared after JSON unescaping, so an escaped key ("sk\u002D...") is found too.
        /// </summary>
        public static JsonDocument Redact(JsonDocument document, ApiKey? key)
        {
            if (key is null || !Contains(document.RootElement, key.Reveal())) return document;
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(writer, document.RootElement, key);
            }
            document.Dispose();
            return JsonDocument.Parse(buffer.ToArray());
        }

        private static bool Contains(JsonElement element, string secret)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return element.GetString()!.IndexOf(secret, StringComparison.Ordinal) >= 0;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (Contains(item, secret)) return true;
                    }
                    return false;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name.IndexOf(secret, StringComparison.Ordinal) >= 0 || Contains(property.Value, secret)) return true;
                    }
                    return false;
                default:
                    return false;
            }
        }

        private static void Write(Utf8JsonWriter writer, JsonElement element, ApiKey key)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    writer.WriteStringValue(Redact(element.GetString()!, key));
                    return;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray()) Write(writer, item, key);
                    writer.WriteEndArray();
                    return;
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(Redact(property.Name, key));
                        Write(writer, property.Value, key);
                    }
                    writer.WriteEndObject();
                    return;
                default:
                    element.WriteTo(writer);
                    return;
            }
        }
    }
}
