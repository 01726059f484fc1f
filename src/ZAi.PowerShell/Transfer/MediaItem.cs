using System;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>One file to save: where it comes from and the name it gets (without extension).</summary>
    internal sealed class MediaItem
    {
        /// <param name="distinctName">Give the file a name with the id's hash (see Saving's <c>FileNameClaims</c>).</param>
        public MediaItem(string taskId, MediaKind kind, int index, string? url, string? base64, string? prompt = null, DateTime? expiresAt = null, string? baseName = null, bool distinctName = false)
        {
            TaskId = taskId;
            Kind = kind;
            Index = index;
            Url = url;
            Base64 = base64;
            Prompt = prompt;
            ExpiresAt = expiresAt;
            BaseName = baseName ?? MediaFileNames.BaseName(taskId, kind, index, distinctName);
        }

        public string TaskId { get; }

        public MediaKind Kind { get; }

        public int Index { get; }

        /// <summary>The link to download; null for an image that came inline as base64.</summary>
        public string? Url { get; }

        /// <summary>Inline image bytes (b64_json) when there is no link.</summary>
        public string? Base64 { get; }

        /// <summary>The prompt the task was started with, when the input carried it.</summary>
        public string? Prompt { get; }

        /// <summary>When the link is expected to expire (UTC), when the input carried an estimate.</summary>
        public DateTime? ExpiresAt { get; }

        /// <summary>File name without extension: taskId, taskId-1, taskId.cover ..., or what -NameTemplate makes of it.</summary>
        public string BaseName { get; private set; }

        /// <summary>This item under another file name (two items whose template names collide).</summary>
        public MediaItem WithBaseName(string baseName)
        {
            var copy = new MediaItem(TaskId, Kind, Index, Url, Base64, Prompt, ExpiresAt);
            copy.BaseName = baseName;
            return copy;
        }

        /// <summary>The same item under the name with the id's hash.</summary>
        /// <param name="counter">Above 1: also a counter, for the (astronomically rare) collision of two ids' hashes.</param>
        public MediaItem WithDistinctName(int counter = 1)
        {
            var name = MediaFileNames.BaseName(TaskId, Kind, Index, distinct: true);
            return WithBaseName(counter > 1 ? name + "~" + counter : name);
        }

        public string Describe() => $"{Kind.ToString().ToLowerInvariant()} {Index} of task '{Client.TaskIdPath.Shown(TaskId)}'";
    }
}
