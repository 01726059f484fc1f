namespace ZAi.PowerShell.Downloading
{
    /// <summary>One file to save: where it comes from and the name it gets (without extension).</summary>
    internal sealed class MediaItem
    {
        public MediaItem(string taskId, MediaKind kind, int index, string? url, string? base64)
        {
            TaskId = taskId;
            Kind = kind;
            Index = index;
            Url = url;
            Base64 = base64;
            BaseName = MediaFileNames.BaseName(taskId, kind, index);
        }

        public string TaskId { get; }

        public MediaKind Kind { get; }

        public int Index { get; }

        /// <summary>The link to download; null for an image that came inline as base64.</summary>
        public string? Url { get; }

        /// <summary>Inline image bytes (b64_json) when there is no link.</summary>
        public string? Base64 { get; }

        /// <summary>File name without extension: taskId, taskId-1, taskId.cover ...</summary>
        public string BaseName { get; }

        public string Describe() => $"{Kind.ToString().ToLowerInvariant()} {Index} of task '{Client.TaskIdPath.Shown(TaskId)}'";
    }
}
