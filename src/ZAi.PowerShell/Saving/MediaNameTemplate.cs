using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// Save-ZAiMedia -NameTemplate: file names built from {TaskId}, {Prompt}, {Index} and {Kind}, e.g.
    /// '{Prompt}-{Index}'. Every value is sanitised like a task id is; a prompt is cut to <see cref="MaxPromptLength"/>
    /// characters and the whole name to the file-name limit. A cover always ends in .cover (as without a
    /// template) unless the template places {Kind}, so a video and its cover never share a name.
    /// </summary>
    internal sealed class MediaNameTemplate
    {
        public const int MaxPromptLength = 60;
        private static readonly Regex Placeholder = new Regex(@"\{(\w*)\}", RegexOptions.CultureInvariant);
        private static readonly string[] Known = { "TaskId", "Prompt", "Index", "Kind" };
        private readonly string _template;
        private readonly bool _hasKind;

        private MediaNameTemplate(string template)
        {
            _template = template;
            _hasKind = template.IndexOf("{Kind}", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>The template as given.</summary>
        public string Text => _template;

        /// <summary>Whether the template places {Prompt}, the one field that can be empty (then the task id stands in).</summary>
        public bool UsesPrompt => _template.IndexOf("{Prompt}", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>Whether every name holds the task id, so a file of this name can only be that task's.</summary>
        public bool UsesTaskId => _template.IndexOf("{TaskId}", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <exception cref="ArgumentException">An unknown placeholder, a path separator, or no placeholder at all.</exception>
        public static MediaNameTemplate Parse(string template)
        {
            if (string.IsNullOrWhiteSpace(template)) throw new ArgumentException("-NameTemplate is empty.");
            if (template.IndexOfAny(new[] { '/', '\\' }) >= 0)
            {
                throw new ArgumentException($"-NameTemplate '{template}' contains a path separator; it names files inside -Path, give folders with -Path.");
            }
            var found = 0;
            foreach (Match match in Placeholder.Matches(template))
            {
                if (Array.FindIndex(Known, k => string.Equals(k, match.Groups[1].Value, StringComparison.OrdinalIgnoreCase)) < 0)
                {
                    throw new ArgumentException($"-NameTemplate '{template}' has the unknown placeholder {match.Value}; use {{TaskId}}, {{Prompt}}, {{Index}} and {{Kind}}.");
                }
                found++;
            }
            if (found == 0) throw new ArgumentException($"-NameTemplate '{template}' has no placeholder, so every file would get the same name; use {{TaskId}}, {{Prompt}}, {{Index}} or {{Kind}}.");
            return new MediaNameTemplate(template);
        }

        /// <summary>The file name without extension for one media item.</summary>
        public string BaseName(string taskId, MediaKind kind, int index, string? prompt)
        {
            var name = Placeholder.Replace(_template, match =>
            {
                switch (match.Groups[1].Value.ToLowerInvariant())
                {
                    case "taskid": return taskId;
                    case "prompt": return Shorten(string.IsNullOrWhiteSpace(prompt) ? taskId : prompt!);
                    case "index": return index.ToString(CultureInfo.InvariantCulture);
                    default: return kind.ToString().ToLowerInvariant();
                }
            });
            var stem = MediaFileNames.SafeStem(name);
            return kind == MediaKind.Cover && !_hasKind ? stem + ".cover" : stem;
        }

        private static string Shorten(string prompt)
        {
            // One line of words: control characters and runs of spaces become one space.
            var builder = new StringBuilder(prompt.Length);
            foreach (var c in prompt.Trim())
            {
                // Wildcard characters would make the saved file's path a pattern for -Path of the file cmdlets.
                var s = char.IsWhiteSpace(c) || char.IsControl(c) ? ' ' : c == '[' ? '(' : c == ']' ? ')' : c == '*' || c == '?' ? '_' : c;
                if (s == ' ' && builder.Length > 0 && builder[builder.Length - 1] == ' ') continue;
                builder.Append(s);
            }
            var text = builder.ToString();
            if (text.Length <= MaxPromptLength) return text;
            var cut = text.Substring(0, MaxPromptLength);
            if (char.IsHighSurrogate(cut[cut.Length - 1])) cut = cut.Substring(0, cut.Length - 1);
            var space = cut.LastIndexOf(' ');
            return (space >= MaxPromptLength / 2 ? cut.Substring(0, space) : cut).TrimEnd();
        }
    }
}
