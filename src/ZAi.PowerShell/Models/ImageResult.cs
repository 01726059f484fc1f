namespace ZAi
{
    /// <summary>One generated image of a task. Image links expire 30 days after generation.</summary>
    public sealed class ImageResult
    {
        internal ImageResult(string taskId, int index, string? url, string? b64Json, string? revisedPrompt)
        {
            TaskId = taskId;
            Index = index;
            Url = url;
            B64Json = b64Json;
            RevisedPrompt = revisedPrompt;
        }

        /// <summary>The task that produced this image.</summary>
        public string TaskId { get; }

        /// <summary>Position of this image in the task's image_result list, from 0.</summary>
        public int Index { get; }

        /// <summary>The image link, when the API returned one.</summary>
        public string? Url { get; }

        /// <summary>The image as base64, when the API returned it inline (b64_json).</summary>
        public string? B64Json { get; }

        /// <summary>The prompt as the model rewrote it, when returned (revised_prompt).</summary>
        public string? RevisedPrompt { get; }

        public override string ToString() => Url ?? (B64Json is null ? string.Empty : "(inline base64 image)");
    }
}
