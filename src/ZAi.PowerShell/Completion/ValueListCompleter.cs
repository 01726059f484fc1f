using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ZAi.PowerShell.Models;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Completion
{
    /// <summary>Completes a parameter with a fixed list of values the API documents; other values can still be typed.</summary>
    public abstract class ValueListCompleter : IArgumentCompleter
    {
        /// <summary>The values offered, in the order shown.</summary>
        protected abstract IEnumerable<string> Values { get; }

        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName,
            string parameterName,
            string wordToComplete,
            CommandAst commandAst,
            IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Values
                .Where(value => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(value => new CompletionResult(value, value, CompletionResultType.ParameterValue, value));
        }
    }

    /// <summary>The video models the API documents.</summary>
    public sealed class VideoModelCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => KnownModels.Video;
    }

    /// <summary>The image models of the async image endpoint.</summary>
    public sealed class ImageModelCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => KnownModels.Image;
    }

    /// <summary>The sizes cogvideox-3 documents.</summary>
    public sealed class VideoSizeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.CogVideoSizes;
    }

    /// <summary>The sizes glm-image recommends.</summary>
    public sealed class ImageSizeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.GlmImageSizes;
    }
}
