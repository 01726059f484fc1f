using System;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Bounds on one media file, so that a hostile or broken host cannot fill the disk or hold a download open
    /// forever: a maximum size, a minimum average throughput after a grace period (the per-file deadline), and a
    /// maximum number of resumes.
    /// </summary>
    internal sealed class DownloadLimits
    {
        /// <summary>2 GiB: far above the largest real generated video (tens of MB).</summary>
        public const long DefaultMaximumFileSize = 2L * 1024 * 1024 * 1024;

        public const long DefaultMinimumBytesPerSecond = 16 * 1024;
        public const int DefaultMaxResumes = 20;
        public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(2);
        public static readonly DownloadLimits Default = new DownloadLimits();

        public DownloadLimits(long maximumFileSize = DefaultMaximumFileSize, long minimumBytesPerSecond = DefaultMinimumBytesPerSecond, TimeSpan? grace = null, int maxResumes = DefaultMaxResumes)
        {
            if (maximumFileSize < 1) throw new ArgumentOutOfRangeException(nameof(maximumFileSize), "The maximum file size must be at least 1 byte.");
            if (minimumBytesPerSecond < 1) throw new ArgumentOutOfRangeException(nameof(minimumBytesPerSecond));
            if (maxResumes < 0) throw new ArgumentOutOfRangeException(nameof(maxResumes));
            MaximumFileSize = maximumFileSize;
            MinimumBytesPerSecond = minimumBytesPerSecond;
            Grace = grace ?? DefaultGrace;
            MaxResumes = maxResumes;
        }

        /// <summary>Largest file accepted, in bytes (Save-ZAiMedia -MaximumFileSize).</summary>
        public long MaximumFileSize { get; }

        /// <summary>Average throughput a file must keep, counted from its start, once <see cref="Grace"/> has passed.</summary>
        public long MinimumBytesPerSecond { get; }

        public TimeSpan Grace { get; }

        /// <summary>Retries after a failure that had made progress (those do not use up the retry budget).</summary>
        public int MaxResumes { get; }

        /// <summary>
        /// True when a download that has run for <paramref name="elapsed"/> (retries and their waits included) and
        /// received <paramref name="received"/> bytes is below the minimum throughput: its deadline has passed.
        /// </summary>
        public bool TooSlow(TimeSpan elapsed, long received)
        {
            if (elapsed <= Grace) return false;
            return received < (elapsed - Grace).TotalSeconds * MinimumBytesPerSecond;
        }

        /// <summary>"2 min, then at least 16 KiB/s on average", for messages.</summary>
        public string DescribeDeadline() => $"{Grace.TotalSeconds:0.#} s, then at least {MinimumBytesPerSecond} bytes/s on average";
    }
}
