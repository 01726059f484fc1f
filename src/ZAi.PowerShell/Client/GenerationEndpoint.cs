namespace ZAi.PowerShell.Client
{
    /// <summary>Where a kind of generation task is submitted, and what to call it in messages.</summary>
    internal sealed class GenerationEndpoint
    {
        /// <summary>The body field that carries the caller's request id (the API's idempotency key).</summary>
        public const string RequestIdField = "request_id";

        public static readonly GenerationEndpoint Video = new GenerationEndpoint("paas/v4/videos/generations", "video");

        public static readonly GenerationEndpoint Image = new GenerationEndpoint("paas/v4/async/images/generations", "image");

        /// <summary>Async chat: POST /paas/v4/async/chat/completions, polled on the async-result endpoint.</summary>
        public static readonly GenerationEndpoint Chat = new GenerationEndpoint("paas/v4/async/chat/completions", "chat");

        /// <summary>The agents API (video effects): POST /v1/agents, polled on /v1/agents/async-result.</summary>
        public static readonly GenerationEndpoint VideoEffect = new GenerationEndpoint("v1/agents", "video effect", isAgent: true);

        private GenerationEndpoint(string path, string noun, bool isAgent = false)
        {
            Path = path;
            Noun = noun;
            IsAgent = isAgent;
        }

        /// <summary>True for the agents API: its answers and results have their own shape, and its tasks are polled on its own endpoint.</summary>
        public bool IsAgent { get; }

        /// <summary>
        /// True when the body carries a request_id the API deduplicates by (1231 on a second send), so an attempt
        /// that may have reached the API can be sent again safely. The agents API takes none: its POST is never resent.
        /// </summary>
        public bool TakesRequestId => !IsAgent;

        /// <summary>Path below the base URI.</summary>
        public string Path { get; }

        /// <summary>"video", "image", "chat" or "video effect".</summary>
        public string Noun { get; }
    }
}
