using System.Collections.Generic;

namespace ZAi.PowerShell.Completion
{
    /// <summary>Completes -Id with the task ids seen in this session, newest first.</summary>
    public sealed class TaskIdCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => RecentTaskIds.Snapshot();

        // Quoted only when it must be: if every completion began with a quote, Tab in a shell that inserts the
        // common prefix (PSReadLine's Complete mode, the default on Linux and macOS) would insert a lone quote.
        protected override string CompletionText(string value) => PlainWord.IsMatch(value) ? value : "'" + value.Replace("'", "''") + "'";

        private static readonly System.Text.RegularExpressions.Regex PlainWord = new System.Text.RegularExpressions.Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.:\-]*$");

        protected override string ToolTip(string value) => "Task " + value;
    }
}
