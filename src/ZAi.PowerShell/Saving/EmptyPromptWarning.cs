using System.Collections.Generic;
using System.Linq;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// Save-ZAiMedia -NameTemplate '{Prompt}' names a file by its task id when the input carries no prompt. That
    /// is said once per command, at the first such file, instead of silently (or once per file).
    /// </summary>
    internal sealed class EmptyPromptWarning
    {
        private readonly MediaNameTemplate? _template;
        private bool _said;

        public EmptyPromptWarning(MediaNameTemplate? template) => _template = template;

        /// <summary>The warning for the first item without a prompt, once; null otherwise.</summary>
        public string? Check(IEnumerable<MediaItem> items)
        {
            if (_said || _template is null || !_template.UsesPrompt) return null;
            var item = items.FirstOrDefault(i => string.IsNullOrWhiteSpace(i.Prompt));
            if (item is null) return null;
            _said = true;
            return $"-NameTemplate '{_template.Text}': the {item.Describe()} has no prompt, so its task id stands in for {{Prompt}}, "
                + "as it will for any later file without one. Results keep their prompt from Start-*, and from Wait-ZAiAsyncResult or "
                + "Get-ZAiAsyncResult when their input has a Prompt property.";
        }
    }
}
