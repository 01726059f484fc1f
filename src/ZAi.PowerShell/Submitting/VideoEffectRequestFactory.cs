using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>What a user asked for in one video effect, before validation.</summary>
    internal sealed class VideoEffectOptions : GenerationOptions
    {
        public const string DefaultAgent = "vidu_template_agent";

        public VideoEffectOptions()
        {
            Model = DefaultAgent;
        }

        /// <summary>The effect template, e.g. french_kiss, bodyshake, sexy_me.</summary>
        public string? Template { get; set; }

        /// <summary>The image, already resolved by <see cref="ImageInput"/>: a URL or a data URI.</summary>
        public string? Image { get; set; }
    }

    /// <summary>
    /// Builds the body of POST /v1/agents for the video-effects agent: <c>{agent_id, messages: [{role: user, content:
    /// [{type: image_url, image_url}, {type: text, text}]}], custom_variables: {template}}</c>. The agents API documents
    /// no request_id: the request id stays with the module (journal, messages) and is not sent.
    /// </summary>
    internal static class VideoEffectRequestFactory
    {
        /// <summary>Templates Z.AI documents; others are sent as given (the agent answers for them).</summary>
        public static readonly string[] KnownTemplates = { "french_kiss", "bodyshake", "sexy_me" };

        private static readonly Regex TemplatePattern = new Regex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);

        private static readonly IReadOnlyDictionary<string, string> NamedFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["agent_id"] = "-AgentId", ["messages"] = "-ImageUrl and -Prompt", ["custom_variables"] = "-Template",
        };

        /// <exception cref="ArgumentException">A value the API would refuse, with a message naming the parameter.</exception>
        public static GenerationRequest Create(VideoEffectOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.Model)) throw new ArgumentException("-AgentId is empty.");
            if (string.IsNullOrWhiteSpace(options.Template)) throw new ArgumentException($"-Template is required: the effect to apply, e.g. {string.Join(", ", KnownTemplates)}.");
            var template = options.Template!.Trim();
            if (!TemplatePattern.IsMatch(template))
            {
                throw new ArgumentException($"-Template '{template}' is not a template name (letters, digits, _ and -); known templates: {string.Join(", ", KnownTemplates)}.");
            }
            if (string.IsNullOrEmpty(options.Image)) throw new ArgumentException("-ImageUrl is required: a video effect animates one image (a URL, or a local PNG or JPEG file).");
            if (options.Prompt != null) GenerationRules.CheckPromptText(options.Prompt, GenerationRules.MaxVideoPromptLength);
            if (options.RequestId != null) GenerationRules.CheckRequestId(options.RequestId);
            if (options.UserId != null) throw new ArgumentException("-UserId is not taken by the agents API (video effects); leave it out.");

            var content = new List<object?>
            {
                new Dictionary<string, object?> { ["type"] = "image_url", ["image_url"] = options.Image },
            };
            if (options.Prompt != null) content.Add(new Dictionary<string, object?> { ["type"] = "text", ["text"] = options.Prompt });
            var fields = new List<KeyValuePair<string, object?>>
            {
                Field("agent_id", options.Model),
                Field("messages", new List<object?> { new Dictionary<string, object?> { ["role"] = "user", ["content"] = content } }),
                Field("custom_variables", new Dictionary<string, object?> { ["template"] = template }),
            };
            ExtraParameters.AddTo(fields, options.Parameters, NamedFields);
            var requestId = options.RequestId ?? GenerationRequestFactory.NewRequestId();
            return new GenerationRequest(GenerationEndpoint.VideoEffect, options.Model, options.Prompt, requestId, options.RequestId != null, fields);
        }

        private static KeyValuePair<string, object?> Field(string name, object? value) => new KeyValuePair<string, object?>(name, value);
    }
}
