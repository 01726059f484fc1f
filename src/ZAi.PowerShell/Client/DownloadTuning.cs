using System;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// How many connections one file may use, from what size, and how many connections one host gets in all.
    /// Defaults chosen by measurement against a host that limits each connection (tools/bench).
    /// </summary>
    internal sealed class DownloadTuning
    {
        public const int DefaultConnectionsPerFile = 4;
        public const long DefaultSplitThreshold = 16L * 1024 * 1024;

        /// <summary>Connections to one host across all files at once; a file's first connection always runs.</summary>
        public const int DefaultMaxConnectionsPerHost = 16;

        /// <summary>No range smaller than this is asked for: below it a new connection costs more than it brings.</summary>
        public const long MinimumRangeSize = 1024 * 1024;

        public const int MaxConnectionsPerFile = 16;

        public static readonly DownloadTuning Default = new DownloadTuning();

        /// <summary>How long the first connection runs alone before the others are opened, to measure its rate.</summary>
        public static readonly TimeSpan DefaultProbeTime = TimeSpan.FromSeconds(0.5);

        /// <summary>Further connections are opened only when the rest of the file would take longer than this over one.</summary>
        public static readonly TimeSpan DefaultWorthSplitting = TimeSpan.FromSeconds(1);

        /// <summary>How long a range is watched before its connection may be judged slow and its rest taken over.</summary>
        public static readonly TimeSpan DefaultResplitAfter = TimeSpan.FromSeconds(0.5);

        /// <summary>No smaller piece of a slow range is handed to another connection.</summary>
        public const long MinimumResplitPiece = 256 * 1024;

        /// <param name="resplitAfter">See <see cref="ResplitAfter"/>; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: never (tests that pin the ranges asked).</param>
        public DownloadTuning(int connectionsPerFile = DefaultConnectionsPerFile, long splitThreshold = DefaultSplitThreshold, int maxConnectionsPerHost = DefaultMaxConnectionsPerHost, TimeSpan? probeTime = null, TimeSpan? resplitAfter = null)
        {
            ProbeTime = probeTime ?? DefaultProbeTime;
            WorthSplitting = DefaultWorthSplitting;
            ResplitAfter = resplitAfter ?? DefaultResplitAfter;
            if (connectionsPerFile < 1 || connectionsPerFile > MaxConnectionsPerFile) throw new ArgumentOutOfRangeException(nameof(connectionsPerFile), $"Connections per file must be 1 to {MaxConnectionsPerFile}.");
            if (splitThreshold < 0) throw new ArgumentOutOfRangeException(nameof(splitThreshold), "The split threshold cannot be negative.");
            if (maxConnectionsPerHost < 1) throw new ArgumentOutOfRangeException(nameof(maxConnectionsPerHost));
            ConnectionsPerFile = connectionsPerFile;
            SplitThreshold = splitThreshold;
            MaxConnectionsPerHost = maxConnectionsPerHost;
        }

        /// <summary>Connections one file is split over (1: never split).</summary>
        public int ConnectionsPerFile { get; }

        /// <summary>Files of at least this many bytes are split.</summary>
        public long SplitThreshold { get; }

        public int MaxConnectionsPerHost { get; }

        /// <summary>Zero: no probe, a file that may be split always is (tests).</summary>
        public TimeSpan ProbeTime { get; }

        public TimeSpan WorthSplitting { get; }

        /// <summary>
        /// A connection with no range left takes over the rest of one whose connection, watched this long, would need
        /// more than <see cref="WorthSplitting"/> to finish (Transfer's <c>RangeSharing</c>).
        /// </summary>
        public TimeSpan ResplitAfter { get; }

        public bool Resplits => ResplitAfter != System.Threading.Timeout.InfiniteTimeSpan;
    }
}
