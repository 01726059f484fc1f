using System;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>One file being downloaded: the item, where it is fetched from and written to, and its counters.</summary>
    internal sealed class DownloadJob
    {
        public DownloadJob(MediaItem item, Uri uri, PartialFile partial, DownloadProgress progress, FileRun run)
        {
            Item = item;
            Uri = uri;
            Partial = partial;
            Progress = progress;
            Run = run;
        }

        public MediaItem Item { get; }

        /// <summary>The link, checked; ranges are asked from <see cref="Source"/>, where its redirects led.</summary>
        public Uri Uri { get; }

        /// <summary>The URI that answered the last request (after redirects); range requests go straight there.</summary>
        public Uri Source { get; set; } = null!;

        public PartialFile Partial { get; }

        public DownloadProgress Progress { get; }

        public FileRun Run { get; }
    }
}
