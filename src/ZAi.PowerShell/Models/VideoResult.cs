namespace ZAi
{
    /// <summary>One generated video of a task: the video link and its cover image link.</summary>
    public sealed class VideoResult
    {
        internal VideoResult(string taskId, int index, string? url, string? coverImageUrl)
        {
            TaskId = taskId;
            Index = index;
            Url = url;
            CoverImageUrl = coverImageUrl;
        }

        /// <summary>The task that produced this video.</summary>
        public string TaskId { get; }

        /// <summary>Position of this video in the task's video_result list, from 0.</summary>
        public int Index { get; }

        /// <summary>The video link (a file CDN, not the API host).</summary>
        public string? Url { get; }

        /// <summary>The cover image link.</summary>
        public string? CoverImageUrl { get; }

        public override string ToString() => Url ?? string.Empty;
    }
}
