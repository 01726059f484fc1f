using System.Collections.Generic;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Base of the cmdlets that take task ids: one -Id parameter, bound and validated the same way.</summary>
    public abstract class TaskIdCmdlet : ZAiCmdlet
    {
        /// <summary>The task ids: the id returned when a task was submitted. AsyncResult objects (live or deserialized) and submission responses bind by their Id property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TaskId")]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        [Binding.TaskIdArgument]
        [AllowEmptyString]
        [AllowNull]
        public string[]? Id { get; set; }

        /// <summary>For tasks of the agents API (Start-ZAiVideoEffect): the agent that runs them, bound from the input's AgentId property, so they are polled on the agents endpoint.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? AgentId { get; set; }

        /// <summary>The agent bound for the current record (its AgentId), trimmed; null for a task of the async-result endpoint.</summary>
        internal string? RecordAgentId => string.IsNullOrWhiteSpace(AgentId) ? null : AgentId!.Trim();

        /// <summary>The ids of this record that are usable; each unusable one gets a ZAiInvalidTaskId error.</summary>
        internal IEnumerable<string> ValidIds()
        {
            foreach (var id in Id ?? new string[] { null! })
            {
                var problem = TaskIdPath.Problem(id);
                if (problem != null)
                {
                    WriteError(ErrorRecords.Invalid(ErrorTable.InvalidTaskId, problem, id));
                    continue;
                }
                yield return id;
            }
        }
    }
}
