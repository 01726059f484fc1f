using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ZAi.PowerShell.Models
{
    /// <summary>
    /// Reads the chat parts of a body: <c>choices[].message.{role, content, reasoning_content, tool_calls}</c> and
    /// <c>usage</c>. Tolerant: a missing or odd-shaped part is left out, never an exception.
    /// </summary>
    internal static class ChatCompletionParser
    {
        /// <summary>choices as a list or a lone object; a choice, message or content of another shape is kept raw in <paramref name="shapes"/>.</summary>
        public static ChatChoice[] ReadChoices(JsonElement root, ShapeReader shapes)
        {
            var choices = new List<ChatChoice>();
            foreach (var (item, position) in shapes.Objects(root, "choices", "choices"))
            {
                var index = item.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : position;
                var finish = JsonValueConverter.StringProperty(item, "finish_reason");
                string? role = null, content = null, reasoning = null;
                object? tools = null;
                if (item.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
                {
                    role = JsonValueConverter.StringProperty(message, "role");
                    content = Text(message, "content", $"choices[{position}].message.content", shapes);
                    reasoning = Text(message, "reasoning_content", $"choices[{position}].message.reasoning_content", shapes);
                    if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind != JsonValueKind.Null) tools = JsonValueConverter.ToPlainValue(calls);
                }
                else if (item.TryGetProperty("message", out message) && message.ValueKind != JsonValueKind.Null)
                {
                    shapes.Keep($"choices[{position}].message", message);
                }
                choices.Add(new ChatChoice(index, finish, role, content, reasoning, tools));
            }
            return choices.ToArray();
        }

        public static ChatUsage? ReadUsage(JsonElement root)
        {
            if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object) return null;
            long? cached = null;
            if (usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object) cached = Number(details, "cached_tokens");
            return new ChatUsage(Number(usage, "prompt_tokens"), Number(usage, "completion_tokens"), Number(usage, "total_tokens"), cached);
        }

        /// <summary>
        /// A string, or the parts of a content list joined (some models answer with [{type: text, text}]), or one such part
        /// alone. Any other shape (a number, a list with nothing readable) is kept raw under <paramref name="path"/>.
        /// </summary>
        private static string? Text(JsonElement message, string name, string path, ShapeReader shapes)
        {
            if (!message.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind == JsonValueKind.String) return value.GetString();
            var parts = new List<string>();
            var odd = value.ValueKind != JsonValueKind.Array && value.ValueKind != JsonValueKind.Object;
            if (value.ValueKind == JsonValueKind.Object)
            {
                if (JsonValueConverter.StringProperty(value, "text") is string single) parts.Add(single);
                else odd = true;
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in value.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String) parts.Add(part.GetString()!);
                    else if (part.ValueKind == JsonValueKind.Object && JsonValueConverter.StringProperty(part, "text") is string text) parts.Add(text);
                    else if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out _)) odd = true;   // a typed part that is not text (an image) is not text, and not odd
                }
            }
            if (odd) shapes.Keep(path, value);
            return parts.Count == 0 ? null : string.Join(string.Empty, parts);
        }

        private static long? Number(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : (long?)null;
    }
}
