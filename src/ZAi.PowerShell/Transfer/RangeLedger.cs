using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// What a ranged download has written: the file it is of (validator, type, total) and, per range, how many bytes
    /// from its start are in the preallocated partial file. Kept in '&lt;name&gt;.partial.ranges' so that a later
    /// attempt or run resumes each range where it stopped. A count is raised only after its bytes were written, so
    /// the side file never claims a byte the partial file does not hold.
    /// </summary>
    internal sealed class RangeLedger
    {
        private const string Header = "zai-ranges 1";

        /// <summary>Most ranges a side file may hold: splitting a slow range stops here.</summary>
        public const int MaxRanges = 64;
        private readonly object _gate = new object();
        private readonly List<long> _starts;
        private readonly List<long> _lengths;
        private readonly List<long> _done;

        public RangeLedger(PartialRecord record, IReadOnlyList<ByteRange> ranges)
        {
            if (record.Total is null) throw new ArgumentException("A ranged download needs the file's length.", nameof(record));
            Record = record;
            _starts = ranges.Select(r => r.Start).ToList();
            _lengths = ranges.Select(r => r.Length).ToList();
            _done = ranges.Select(r => r.Done).ToList();
        }

        public PartialRecord Record { get; }

        public long Total => Record.Total!.Value;

        /// <summary>Ranges so far; a split adds one at the end (indexes never change).</summary>
        public int Count
        {
            get
            {
                lock (_gate) return _starts.Count;
            }
        }

        public ByteRange this[int index]
        {
            get
            {
                lock (_gate) return new ByteRange(_starts[index], _lengths[index], _done[index]);
            }
        }

        public long DoneBytes
        {
            get
            {
                lock (_gate) return _done.Sum();
            }
        }

        public bool Complete => Enumerable.Range(0, Count).All(i => this[i].Complete);

        public IEnumerable<int> Incomplete() => Enumerable.Range(0, Count).Where(i => !this[i].Complete).ToList();

        /// <summary>Counts <paramref name="bytes"/> more written at the end of the done part of range <paramref name="index"/>.</summary>
        public void Advance(int index, long bytes)
        {
            lock (_gate)
            {
                if (_done[index] + bytes > _lengths[index]) throw new InvalidOperationException("More bytes than the range holds.");
                _done[index] += bytes;
            }
        }

        /// <summary>
        /// Ends range <paramref name="index"/> before byte <paramref name="at"/> and adds the rest as a new range with nothing
        /// done, whose index it returns; -1 when the ledger is full. <paramref name="at"/> must lie inside the range and
        /// not before the end of its done bytes: bytes already written are never given away.
        /// </summary>
        public int Split(int index, long at)
        {
            lock (_gate)
            {
                var start = _starts[index];
                var end = start + _lengths[index];
                if (at <= start || at < start + _done[index] || at >= end) throw new ArgumentOutOfRangeException(nameof(at), "A split lies inside the part of a range not yet written.");
                if (_starts.Count >= MaxRanges) return -1;
                _lengths[index] = at - start;
                _starts.Add(at);
                _lengths.Add(end - at);
                _done.Add(0);
                return _starts.Count - 1;
            }
        }

        /// <summary>Every range at one instant (a split changes two at once).</summary>
        public IReadOnlyList<ByteRange> Snapshot()
        {
            lock (_gate) return Enumerable.Range(0, _starts.Count).Select(i => new ByteRange(_starts[i], _lengths[i], _done[i])).ToList();
        }

        public string Format()
        {
            var text = new StringBuilder();
            text.Append(Header).Append('\n')
                .Append(Record.Validator).Append('\n')
                .Append(Record.ContentType ?? string.Empty).Append('\n')
                .Append(Total.ToString(CultureInfo.InvariantCulture)).Append('\n');
            // In file order, whatever order the splits added them in: a side file's ranges are contiguous.
            foreach (var range in Snapshot().OrderBy(r => r.Start))
            {
                text.Append(range.Start.ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(range.Length.ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(range.Done.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            return text.ToString();
        }

        /// <summary>The ledger a side file holds, or null when it is not one this module wrote or does not add up.</summary>
        public static RangeLedger? Parse(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            if (lines.Length < 6 || lines[0] != Header) return null;
            var validator = lines[1];
            if (validator.Length == 0 || validator.Any(char.IsControl)) return null; // it becomes a request header
            var contentType = lines[2].Length > 0 && !lines[2].Any(char.IsControl) ? lines[2] : null;
            if (!long.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var total) || total < 1) return null;
            var ranges = new List<ByteRange>();
            var next = 0L;
            foreach (var line in lines.Skip(4).Where(l => l.Length > 0))
            {
                var parts = line.Split(' ');
                if (parts.Length != 3 || ranges.Count == MaxRanges
                    || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                    || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var done))
                {
                    return null;
                }
                if (start != next || length < 1 || done > length) return null;
                ranges.Add(new ByteRange(start, length, done));
                next = start + length;
            }
            if (ranges.Count == 0 || next != total) return null;
            return new RangeLedger(new PartialRecord(validator, contentType, total), ranges);
        }
    }
}
