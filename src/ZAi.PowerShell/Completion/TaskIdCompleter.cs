using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ZAi.PowerShell.Completion
{
    /// <summary>Completes -Id with the task ids seen in this session, newest first.</summary>
    public sealed class TaskIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName,
            string parameterName,
            string wordToComplete,
            CommandAst commandAst,
            IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return RecentTaskIds.Snapshot()
                .Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(id => new CompletionResult("'" + id.Replace("'", "''") + "'", id, CompletionResultType.ParameterValue, "Task " + id));
        }
    }
}
