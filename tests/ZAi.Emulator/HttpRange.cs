using System.Globalization;

namespace ZAi.Emulator;

internal enum RangeKind { Full, Partial, Unsatisfiable }

/// <summary>The part of a file a request asked for: a single byte range or the whole file.</summary>
internal readonly record struct HttpRange(RangeKind Kind, long Start, long Length)
{
    public long End => Start + Length - 1;

    public static HttpRange Whole(long size) => new(RangeKind.Full, 0, size);

    /// <summary>
    /// Parses a Range header for a file of <paramref name="size"/> bytes. Single ranges
    /// (<c>bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>) are honoured; a missing, malformed or
    /// multi-range header gives the whole file.
    /// </summary>
    public static HttpRange Parse(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header)) return Whole(size);
        ReadOnlySpan<char> spec = header.AsSpan().Trim();
        if (!spec.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return Whole(size);
        spec = spec[6..].Trim();
        if (spec.Contains(',')) return Whole(size);
        int dash = spec.IndexOf('-');
        if (dash < 0) return Whole(size);
        ReadOnlySpan<char> first = spec[..dash].Trim();
        ReadOnlySpan<char> last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!TryParse(last, out long suffix)) return Whole(size);
            if (suffix == 0 || size == 0) return new HttpRange(RangeKind.Unsatisfiable, 0, 0);
            long length = Math.Min(suffix, size);
            return new HttpRange(RangeKind.Partial, size - length, length);
        }
        if (!TryParse(first, out long start)) return Whole(size);
        long end = long.MaxValue;
        if (!last.IsEmpty && (!TryParse(last, out end) || end < start)) return Whole(size);
        if (start >= size) return new HttpRange(RangeKind.Unsatisfiable, 0, 0);
        end = Math.Min(end, size - 1);
        return new HttpRange(RangeKind.Partial, start, end - start + 1);
    }

    private static bool TryParse(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
