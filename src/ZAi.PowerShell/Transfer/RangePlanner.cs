using System;
using System.Collections.Generic;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>Whether a file is split (at the start, and after the probe), and into which byte ranges.</summary>
    internal static class RangePlanner
    {
        /// <summary>
        /// True when a file of <paramref name="total"/> bytes from a host that accepts ranges with a validator
        /// (<paramref name="resumable"/>) is worth several connections.
        /// </summary>
        public static bool ShouldSplit(long? total, bool resumable, DownloadTuning tuning) =>
            resumable && total.HasValue && tuning.ConnectionsPerFile > 1 && total.Value >= tuning.SplitThreshold
            && total.Value >= 2 * DownloadTuning.MinimumRangeSize;

        /// <summary>
        /// After the first connection of a split file has run alone for the probe time: whether it goes on alone (it
        /// ended, or at its <paramref name="rate"/> in bytes/s the <paramref name="left"/> bytes take less than
        /// <see cref="DownloadTuning.WorthSplitting"/>), or further connections open.
        /// </summary>
        public static ProbeVerdict AfterProbe(bool firstEnded, bool firstFailed, double rate, long left, DownloadTuning tuning)
        {
            if (firstEnded && firstFailed) return ProbeVerdict.FirstBroke;
            if (firstEnded || (rate > 0 && left / rate < tuning.WorthSplitting.TotalSeconds)) return ProbeVerdict.OneConnection;
            return ProbeVerdict.Split;
        }

        /// <summary>Contiguous ranges covering [0, total), as equal as can be, none below the minimum size, at most <paramref name="connections"/>.</summary>
        public static IReadOnlyList<ByteRange> Plan(long total, int connections, long minimumRange = DownloadTuning.MinimumRangeSize)
        {
            if (total < 1) throw new ArgumentOutOfRangeException(nameof(total));
            var count = (int)Math.Max(1, Math.Min(connections, total / Math.Max(1, minimumRange)));
            var ranges = new List<ByteRange>(count);
            var size = total / count;
            var start = 0L;
            for (var i = 0; i < count; i++)
            {
                var length = i == count - 1 ? total - start : size;
                ranges.Add(new ByteRange(start, length, 0));
                start += length;
            }
            return ranges;
        }
    }

    /// <summary>What the probe of a split file found (<see cref="RangePlanner.AfterProbe"/>).</summary>
    internal enum ProbeVerdict
    {
        /// <summary>The first connection broke before its rate was known: the other ranges come over further connections.</summary>
        FirstBroke,
        /// <summary>The first connection brought the file, or is fast enough to bring the rest alone.</summary>
        OneConnection,
        /// <summary>Further connections open.</summary>
        Split,
    }

    /// <summary>One range of a file and how many of its bytes, from its start, are written.</summary>
    internal readonly struct ByteRange : IEquatable<ByteRange>
    {
        public ByteRange(long start, long length, long done)
        {
            Start = start;
            Length = length;
            Done = done;
        }

        public long Start { get; }

        public long Length { get; }

        public long Done { get; }

        /// <summary>The last byte (inclusive).</summary>
        public long End => Start + Length - 1;

        public bool Complete => Done == Length;

        public bool Equals(ByteRange other) => Start == other.Start && Length == other.Length && Done == other.Done;

        public override bool Equals(object? obj) => obj is ByteRange other && Equals(other);

        public override int GetHashCode() => (Start, Length, Done).GetHashCode();

        public override string ToString() => $"{Start}+{Length} ({Done} done)";
    }
}
