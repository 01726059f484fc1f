using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace ZAi.PowerShell.Downloading
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
        private const int MaxRanges = 64;
        private readonly ByteRange[] _ranges;
        private readonly long[] _done;

        public RangeLedger(PartialRecord record, IReadOnlyList<ByteRange> ranges)
        {
            if (record.Total is null) throw new ArgumentException("A ranged download needs the file's length.", nameof(record));
            Record = record;
            _ranges = ranges.ToArray();
            _done = _ranges.Select(r => r.Done).ToArray();
        }

        public PartialRecord Record { get; }

        public long Total => Record.Total!.Value;

        public int Count => _ranges.Length;

        public ByteRange this[int index] => new ByteRange(_ranges[index].Start, _ranges[index].Length, Interlocked.Read(ref _done[index]));

        public long DoneBytes
        {
            get
            {
                long sum = 0;
                for (var i = 0; i < _done.Length; i++) sum += Interlocked.Read(ref _done[i]);
                return sum;
            }
        }

        public bool Complete => Enumerable.Range(0, Count).All(i => this[i].Complete);

        public IEnumerable<int> Incomplete() => Enumerable.Range(0, Count).Where(i => !this[i].Complete);

        /// <summary>Counts <paramref name="bytes"/> more written at the end of the done part of range <paramref name="index"/>.</summary>
        public void Advance(int index, long bytes)
        {
            var done = Interlocked.Add(ref _done[index], bytes);
            if (done > _ranges[index].Length) throw new InvalidOperationException("More bytes than the range holds.");
        }

        public string Format()
        {
            var text = new StringBuilder();
            text.Append(Header).Append('\n')
                .Append(Record.Validator).Append('\n')
                .Append(Record.ContentType ?? string.Empty).Append('\n')
                .Append(Total.ToString(CultureInfo.InvariantCulture)).Append('\n');
            for (var i = 0; i < Count; i++)
            {
                var range = this[i];
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
