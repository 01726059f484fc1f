using System.Linq;

namespace ZAi
{
    /// <summary>The parts of a result that belong to one kind of task: a chat completion's text and usage, an agent task's id and error.</summary>
    public sealed partial class AsyncResult
    {
        private ChatChoiceList _choices = ChatChoiceList.Empty;

        /// <summary>The answers of a chat completion (empty for other kinds and until the task succeeds).</summary>
        public ChatChoiceList Choices { get => _choices; internal set => _choices = value ?? ChatChoiceList.Empty; }

        /// <summary>The text of a chat completion's first answer (choices[0].message.content); null for other kinds.</summary>
        public string? Content => _choices.FirstOrDefault()?.Content;

        /// <summary>The reasoning of the first answer (reasoning_content), for models that think; null otherwise.</summary>
        public string? ReasoningContent => _choices.FirstOrDefault()?.ReasoningContent;

        /// <summary>Why the first answer stopped (finish_reason): stop, length, sensitive ...</summary>
        public string? FinishReason => _choices.FirstOrDefault()?.FinishReason;

        /// <summary>The tokens the task used (usage), as reported by chat completions and some agents; null when not reported.</summary>
        public ChatUsage? Usage { get; internal set; }

        /// <summary>
        /// For a task of the agents API (Start-ZAiVideoEffect), the agent that runs it, e.g. vidu_template_agent; null for
        /// the other kinds. Wait-ZAiAsyncResult and Get-ZAiAsyncResult bind it by name, so an id read back from a CSV or
        /// a journal with its AgentId is polled on the agents endpoint.
        /// </summary>
        public string? AgentId { get; internal set; }

        /// <summary>The error code a failed agent task reported (error.code); null otherwise.</summary>
        public string? ErrorCode { get; internal set; }

        /// <summary>The error message a failed agent task reported (error.message); null otherwise.</summary>
        public string? ErrorMessage { get; internal set; }

        /// <summary>Copies the kind-specific parts of <paramref name="source"/> onto this result; returns this.</summary>
        internal AsyncResult CopyTaskDetailsFrom(AsyncResult source)
        {
            Choices = source.Choices;
            Usage = source.Usage;
            AgentId = source.AgentId;
            ErrorCode = source.ErrorCode;
            ErrorMessage = source.ErrorMessage;
            UnreadFields = source.UnreadFields;
            OptimizedPrompt = source.OptimizedPrompt;
            return this;
        }
    }
}
