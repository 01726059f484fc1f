using System.Collections.Generic;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Completion
{
    /// <summary>Completes -Id with the task ids this session has seen on the current connection's account, newest first.</summary>
    public sealed class TaskIdCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values
        {
            get
            {
                try
                {
                    return Client.ZAiSession.Resolve().Account().RecentTaskIds.Snapshot();
                }
                catch (System.ArgumentException)
                {
                    // A malformed ZAI_BASE_URL: nothing to offer; the command itself says what is wrong.
                    return System.Array.Empty<string>();
                }
            }
        }

        // Quoted only when it must be: if every completion began with a quote, Tab in a shell that inserts the
        // common prefix (PSReadLine's Complete mode, the default on Linux and macOS) would insert a lone quote.
        protected override string CompletionText(string value) => PlainWord.IsMatch(value) ? value : "'" + value.Replace("'", "''") + "'";

        private static readonly System.Text.RegularExpressions.Regex PlainWord = new System.Text.RegularExpressions.Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.:\-]*$");

        protected override string ToolTip(string value) => "Task " + value;
    }
}
