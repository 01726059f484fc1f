using System.Globalization;

namespace ZAi
{
    /// <summary>The tokens a chat completion (or an agent) used, as the API reported them: what chat tasks are billed by.</summary>
    public sealed class ChatUsage
    {
        internal ChatUsage(long? promptTokens, long? completionTokens, long? totalTokens, long? cachedTokens)
        {
            PromptTokens = promptTokens;
            CompletionTokens = completionTokens;
            TotalTokens = totalTokens ?? (promptTokens.HasValue && completionTokens.HasValue ? promptTokens + completionTokens : null);
            CachedTokens = cachedTokens;
        }

        /// <summary>Tokens of the input (prompt_tokens).</summary>
        public long? PromptTokens { get; }

        /// <summary>Tokens of the answer, reasoning included (completion_tokens).</summary>
        public long? CompletionTokens { get; }

        /// <summary>All tokens (total_tokens; the sum of the two when the API left it out).</summary>
        public long? TotalTokens { get; }

        /// <summary>Prompt tokens served from the cache (prompt_tokens_details.cached_tokens), when reported.</summary>
        public long? CachedTokens { get; }

        /// <summary>"12 prompt + 30 completion = 42 tokens": what a CSV cell or a table shows.</summary>
        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0} prompt + {1} completion = {2} tokens",
            PromptTokens?.ToString(CultureInfo.InvariantCulture) ?? "?",
            CompletionTokens?.ToString(CultureInfo.InvariantCulture) ?? "?",
            TotalTokens?.ToString(CultureInfo.InvariantCulture) ?? "?");
    }
}
