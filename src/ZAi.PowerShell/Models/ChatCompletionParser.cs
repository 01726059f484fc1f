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
        public static ChatChoice[] ReadChoices(JsonElement root)
        {
            if (!root.TryGetProperty("choices", out var list) || list.ValueKind != JsonValueKind.Array) return Array.Empty<ChatChoice>();
            var choices = new List<ChatChoice>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                var index = item.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : choices.Count;
                var finish = JsonValueConverter.StringProperty(item, "finish_reason");
                string? role = null, content = null, reasoning = null;
                object? tools = null;
                if (item.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
                {
                    role = JsonValueConverter.StringProperty(message, "role");
                    content = Text(message, "content");
                    reasoning = Text(message, "reasoning_content");
                    if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind != JsonValueKind.Null) tools = JsonValueConverter.ToPlainValue(calls);
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

        /// <summary>A string, or the parts of a content array joined (some models answer with [{type: text, text}]).</summary>
        private static string? Text(JsonElement message, string name)
        {
            if (!message.TryGetProperty(name, out var value)) return null;
            if (value.ValueKind == JsonValueKind.String) return value.GetString();
            if (value.ValueKind != JsonValueKind.Array) return null;
            var parts = new List<string>();
            foreach (var part in value.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.String) parts.Add(part.GetString()!);
                else if (part.ValueKind == JsonValueKind.Object && JsonValueConverter.StringProperty(part, "text") is string text) parts.Add(text);
            }
            return parts.Count == 0 ? null : string.Join(string.Empty, parts);
        }

        private static long? Number(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : (long?)null;
    }
}
