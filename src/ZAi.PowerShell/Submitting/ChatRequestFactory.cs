using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>What a user asked for in one async chat task, before validation.</summary>
    internal sealed class ChatCompletionOptions : GenerationOptions
    {
        public const string DefaultModel = "glm-4.6";

        public ChatCompletionOptions()
        {
            Model = DefaultModel;
        }

        /// <summary>A whole conversation (-Messages): hashtables or objects with role and content.</summary>
        public IList? Messages { get; set; }

        /// <summary>A system message put before the conversation (-System).</summary>
        public string? System { get; set; }

        public double? Temperature { get; set; }

        public double? TopP { get; set; }

        public int? MaxTokens { get; set; }

        public bool? DoSample { get; set; }

        public string[]? Stop { get; set; }

        /// <summary>enabled or disabled: whether a thinking model reasons first (thinking.type).</summary>
        public string? Thinking { get; set; }

        /// <summary>text or json_object (response_format.type).</summary>
        public string? ResponseFormat { get; set; }
    }

    /// <summary>Builds the body of POST /paas/v4/async/chat/completions: the ordinary chat body with a request id.</summary>
    internal static class ChatRequestFactory
    {
        public static readonly string[] Roles = { "system", "user", "assistant", "tool" };
        public static readonly string[] ThinkingTypes = { "enabled", "disabled" };
        public static readonly string[] ResponseFormats = { "text", "json_object" };

        private static readonly IReadOnlyDictionary<string, string> NamedFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["model"] = "-Model", ["messages"] = "-Prompt or -Messages", ["temperature"] = "-Temperature", ["top_p"] = "-TopP",
            ["max_tokens"] = "-MaximumTokens", ["do_sample"] = "-DoSample", ["stop"] = "-Stop", ["thinking"] = "-Thinking",
            ["response_format"] = "-ResponseFormat", ["request_id"] = "-RequestId", ["user_id"] = "-UserId",
        };

        /// <exception cref="ArgumentException">A value the API would refuse, with a message naming the parameter.</exception>
        public static GenerationRequest Create(ChatCompletionOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.Model)) throw new ArgumentException("-Model is empty.");
            if (options.RequestId != null) GenerationRules.CheckRequestId(options.RequestId);
            if (options.UserId != null) GenerationRules.CheckUserId(options.UserId);
            var messages = Messages(options);
            if (options.Temperature is double t && (t < 0 || t > 1)) throw new ArgumentException($"-Temperature {t} is outside 0 to 1.");
            if (options.TopP is double p && (p <= 0 || p > 1)) throw new ArgumentException($"-TopP {p} is outside the API's range (more than 0, at most 1).");
            if (options.MaxTokens is int m && m < 1) throw new ArgumentException($"-MaximumTokens {m} must be at least 1.");
            if (options.Thinking != null) GenerationRules.CheckOneOf("-Thinking", options.Thinking, ThinkingTypes);
            if (options.ResponseFormat != null) GenerationRules.CheckOneOf("-ResponseFormat", options.ResponseFormat, ResponseFormats);
            if (options.Stop != null && (options.Stop.Length == 0 || options.Stop.Any(string.IsNullOrEmpty))) throw new ArgumentException("-Stop has an empty stop word.");

            var requestId = options.RequestId ?? GenerationRequestFactory.NewRequestId();
            var fields = new List<KeyValuePair<string, object?>>
            {
                Field("model", options.Model),
                Field("messages", messages),
            };
            if (options.Temperature.HasValue) fields.Add(Field("temperature", options.Temperature.Value));
            if (options.TopP.HasValue) fields.Add(Field("top_p", options.TopP.Value));
            if (options.MaxTokens.HasValue) fields.Add(Field("max_tokens", options.MaxTokens.Value));
            if (options.DoSample.HasValue) fields.Add(Field("do_sample", options.DoSample.Value));
            if (options.Stop != null) fields.Add(Field("stop", options.Stop));
            if (options.Thinking != null) fields.Add(Field("thinking", new Dictionary<string, object?> { ["type"] = options.Thinking }));
            if (options.ResponseFormat != null) fields.Add(Field("response_format", new Dictionary<string, object?> { ["type"] = options.ResponseFormat }));
            fields.Add(Field(GenerationRequest.RequestIdField, requestId));
            if (options.UserId != null) fields.Add(Field("user_id", options.UserId));
            ExtraParameters.AddTo(fields, options.Parameters, NamedFields);
            return new GenerationRequest(GenerationEndpoint.Chat, options.Model, PromptOf(messages), requestId, options.RequestId != null, fields);
        }

        /// <summary>The conversation to send: -System, then -Messages or the prompt as one user message.</summary>
        private static List<object?> Messages(ChatCompletionOptions options)
        {
            var messages = new List<object?>();
            if (options.System != null)
            {
                if (options.System.Trim().Length == 0) throw new ArgumentException("-System is empty.");
                messages.Add(Message("system", options.System));
            }
            if (options.Messages != null)
            {
                if (options.Prompt != null) throw new ArgumentException("Give -Prompt or -Messages, not both: -Messages is the whole conversation.");
                var index = 0;
                foreach (var item in options.Messages)
                {
                    messages.Add(ReadMessage(item, index++));
                }
                if (index == 0) throw new ArgumentException("-Messages is empty: give at least one message, e.g. @{ role = 'user'; content = 'Hello' }.");
            }
            else
            {
                if (options.Prompt is null) throw new ArgumentException("Give -Prompt (or pipe prompts) or -Messages: the chat needs something to answer.");
                GenerationRules.CheckPromptText(options.Prompt, maxLength: null);
                messages.Add(Message("user", options.Prompt));
            }
            return messages;
        }

        private static Dictionary<string, object?> ReadMessage(object? item, int index)
        {
            item = JsonBodyWriter.Unwrap(item);
            string? role;
            object? content;
            var extra = new List<KeyValuePair<string, object?>>();
            if (item is IDictionary map)
            {
                role = null;
                content = null;
                foreach (DictionaryEntry entry in map)
                {
                    var key = JsonBodyWriter.Unwrap(entry.Key)?.ToString() ?? string.Empty;
                    if (string.Equals(key, "role", StringComparison.OrdinalIgnoreCase)) role = JsonBodyWriter.Unwrap(entry.Value)?.ToString();
                    else if (string.Equals(key, "content", StringComparison.OrdinalIgnoreCase)) content = JsonBodyWriter.Unwrap(entry.Value);
                    else extra.Add(new KeyValuePair<string, object?>(key, JsonBodyWriter.Unwrap(entry.Value)));
                }
            }
            else if (item != null && PSObject.AsPSObject(item) is PSObject shaped && shaped.Properties["role"] != null)
            {
                role = JsonBodyWriter.Unwrap(shaped.Properties["role"].Value)?.ToString();
                content = JsonBodyWriter.Unwrap(shaped.Properties["content"]?.Value);
            }
            else
            {
                throw new ArgumentException($"-Messages item {index} is not a message: give hashtables such as @{{ role = 'user'; content = 'Hello' }}.");
            }
            if (role is null || !Roles.Contains(role.ToLowerInvariant()))
            {
                throw new ArgumentException($"-Messages item {index} has role '{role}'; use one of: {string.Join(", ", Roles)}.");
            }
            if (content is null || (content is string text && text.Trim().Length == 0))
            {
                throw new ArgumentException($"-Messages item {index} ({role}) has no content.");
            }
            var message = Message(role.ToLowerInvariant(), content);
            foreach (var field in extra)
            {
                JsonBodyWriter.Check("messages." + field.Key, field.Value);
                message[field.Key] = field.Value;
            }
            JsonBodyWriter.Check("messages.content", content);
            return message;
        }

        private static Dictionary<string, object?> Message(string role, object? content) => new Dictionary<string, object?> { ["role"] = role, ["content"] = content };

        /// <summary>The prompt a result keeps: the last user message's text.</summary>
        private static string? PromptOf(List<object?> messages)
        {
            for (var i = messages.Count - 1; i >= 0; i--)
            {
                if (messages[i] is Dictionary<string, object?> message && (string?)message["role"] == "user") return message["content"] as string;
            }
            return null;
        }

        private static KeyValuePair<string, object?> Field(string name, object? value) => new KeyValuePair<string, object?>(name, value);
    }
}
