using System;
using System.IO;

namespace ZAi
{
    /// <summary>
    /// One file Save-ZAiMedia saved (or found already saved): where it is, what it holds and which task and
    /// prompt it came from. Plain properties, so Export-Csv, ConvertTo-Json and Export-Clixml keep exactly these
    /// columns. ToString() is the full path, and GetFileInfo() returns the file itself.
    /// </summary>
    public sealed class SavedMediaFile
    {
        internal SavedMediaFile(string path, string taskId, MediaKind kind, int index, string? sourceUrl, bool downloaded, string? prompt, DateTime? expiresAt)
        {
            var file = new FileInfo(path);
            FullName = file.FullName;
            Name = file.Name;
            Extension = file.Extension;
            DirectoryName = file.DirectoryName;
            Length = file.Exists ? file.Length : 0;
            TaskId = taskId;
            MediaKind = kind.ToString();
            MediaIndex = index;
            SourceUrl = sourceUrl;
            Downloaded = downloaded;
            Prompt = prompt;
            ExpiresAt = expiresAt;
        }

        /// <summary>The task the file belongs to.</summary>
        public string TaskId { get; }

        /// <summary>Video, Cover or Image.</summary>
        public string MediaKind { get; }

        /// <summary>Position of the media item in the task's result, from 0.</summary>
        public int MediaIndex { get; }

        /// <summary>The file name, e.g. video-abc.mp4.</summary>
        public string Name { get; }

        /// <summary>The extension, e.g. .mp4: from the server's Content-Type or the link.</summary>
        public string Extension { get; }

        /// <summary>The full path of the file.</summary>
        public string FullName { get; }

        /// <summary>The folder the file is in.</summary>
        public string? DirectoryName { get; }

        /// <summary>The file size in bytes.</summary>
        public long Length { get; }

        /// <summary>True when this run downloaded the file; false when it existed already and was skipped.</summary>
        public bool Downloaded { get; }

        /// <summary>The prompt the task was started with, when the input carried it.</summary>
        public string? Prompt { get; }

        /// <summary>The link the file came from; null for an inline (base64) image.</summary>
        public string? SourceUrl { get; }

        /// <summary>When the link was expected to expire (UTC), when known.</summary>
        public DateTime? ExpiresAt { get; }

        /// <summary>MediaKind under the name of its table column, so `Where-Object Kind -eq Video` filters what the table shows; hidden from Get-Member and exports.</summary>
        [System.Management.Automation.Hidden]
        public string Kind => MediaKind;

        /// <summary>Length (bytes) under the name of its table column, so `Where-Object Size -gt 1MB` works; hidden from Get-Member and exports.</summary>
        [System.Management.Automation.Hidden]
        public long Size => Length;

        /// <summary>The FileInfo of the saved file.</summary>
        public FileInfo GetFileInfo() => new FileInfo(FullName);

        /// <summary>The full path, so the object can be given wherever a path is expected.</summary>
        public override string ToString() => FullName;
    }
}
