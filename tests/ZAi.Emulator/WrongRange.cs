namespace ZAi.Emulator;

/// <summary>
/// The <c>wrongRange</c> media fault: a range request answered with 206 and a truthful Content-Range,
/// but for bytes <c>afterBytes</c> further on than asked (same length where the file allows), as a
/// broken cache that serves a neighbouring slice does.
/// </summary>
internal static class WrongRange
{
    public static HttpRange Shift(HttpRange asked, long by, long size)
    {
        long start = Math.Min(asked.Start + Math.Max(1, by), Math.Max(0, size - 1));
        if (start == asked.Start) start = 0; // the last byte was asked: answer the first one instead
        long length = Math.Min(asked.Length, size - start);
        return new HttpRange(RangeKind.Partial, start, length);
    }
}
