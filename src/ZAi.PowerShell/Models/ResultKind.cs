namespace ZAi
{
    /// <summary>What a task produces.</summary>
    public enum ResultKind
    {
        /// <summary>Not known yet (for example a task still processing with an unfamiliar model).</summary>
        Unknown = 0,
        /// <summary>Video generation: video_result holds video and cover links.</summary>
        Video = 1,
        /// <summary>Image generation: image_result holds image links.</summary>
        Image = 2,
        /// <summary>An asynchronous chat completion: the choices are in AdditionalProperties['choices'].</summary>
        Chat = 3,
    }
}
