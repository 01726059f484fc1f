namespace ZAi
{
    /// <summary>One answer of a chat completion (choices[i]): its text, its reasoning, and why it stopped.</summary>
    public sealed class ChatChoice
    {
        internal ChatChoice(int index, string? finishReason, string? role, string? content, string? reasoningContent, object? toolCalls)
        {
            Index = index;
            FinishReason = finishReason;
            Role = role;
            Content = content;
            ReasoningContent = reasoningContent;
            ToolCalls = toolCalls;
        }

        /// <summary>Position of the answer in choices, from 0.</summary>
        public int Index { get; }

        /// <summary>Why the model stopped: stop, length, tool_calls, sensitive, network_error ...</summary>
        public string? FinishReason { get; }

        /// <summary>Normally assistant.</summary>
        public string? Role { get; }

        /// <summary>The answer's text.</summary>
        public string? Content { get; }

        /// <summary>The model's reasoning before the answer (reasoning_content), for models that think.</summary>
        public string? ReasoningContent { get; }

        /// <summary>The tool calls the model asked for (tool_calls), as plain values; null when none.</summary>
        public object? ToolCalls { get; }

        public override string ToString() => Content ?? string.Empty;
    }
}
