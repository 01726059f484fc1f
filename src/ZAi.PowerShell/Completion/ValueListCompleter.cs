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
    /// <summary>Completes a parameter with a list of values, those that start with what was typed; other values can still be typed.</summary>
    public abstract class ValueListCompleter : IArgumentCompleter
    {
        /// <summary>The values offered, in the order shown.</summary>
        protected abstract IEnumerable<string> Values { get; }

        /// <summary>The values offered given the other parameters typed so far (e.g. sizes for the -Model given).</summary>
        protected virtual IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => Values;

        /// <summary>What Tab inserts for a value; values with spaces or quotes need quoting.</summary>
        protected virtual string CompletionText(string value) => value;

        protected virtual string ToolTip(string value) => value;

        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName,
            string parameterName,
            string wordToComplete,
            CommandAst commandAst,
            IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return ValuesFor(fakeBoundParameters ?? new Hashtable())
                .Where(value => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(value => new CompletionResult(CompletionText(value), value, CompletionResultType.ParameterValue, ToolTip(value)));
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

    /// <summary>The sizes of the -Model typed (cogvideox-3 when none); none for models whose sizes the module does not know.</summary>
    public sealed class VideoSizeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.CogVideoSizes;

        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => SizesByModel.Video(SizesByModel.Model(fakeBoundParameters));
    }

    /// <summary>The sizes glm-image recommends; nothing for other models, whose sizes the module does not know.</summary>
    public sealed class ImageSizeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.GlmImageSizes;

        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => SizesByModel.Image(SizesByModel.Model(fakeBoundParameters));
    }
}
