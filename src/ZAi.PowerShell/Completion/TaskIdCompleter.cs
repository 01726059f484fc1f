using System.Collections.Generic;

namespace ZAi.PowerShell.Completion
{
    /// <summary>Completes -Id with the task ids seen in this session, newest first.</summary>
    public sealed class TaskIdCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => RecentTaskIds.Snapshot();

        protected override string CompletionText(string value) => "'" + value.Replace("'", "''") + "'";

        protected override string ToolTip(string value) => "Task " + value;
    }
}
