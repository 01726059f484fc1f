using System.Collections.Generic;
using ZAi.PowerShell.Models;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Completion
{
    /// <summary>-Model of Start-ZAiChatCompletion: the GLM chat models Z.AI documents (any other name is sent as given).</summary>
    public sealed class ChatModelCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => KnownModels.Chat;
    }

    /// <summary>-Template of Start-ZAiVideoEffect: french_kiss, bodyshake, sexy_me.</summary>
    public sealed class EffectTemplateCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => VideoEffectRequestFactory.KnownTemplates;
    }

    /// <summary>-Thinking of Start-ZAiChatCompletion: enabled, disabled.</summary>
    public sealed class ThinkingCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => ChatRequestFactory.ThinkingTypes;
    }

    /// <summary>-ResponseFormat of Start-ZAiChatCompletion: text, json_object.</summary>
    public sealed class ResponseFormatCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => ChatRequestFactory.ResponseFormats;
    }
}
