namespace ZAi.Emulator;

/// <summary>
/// A real media file as three parts: its own bytes (<see cref="Head"/>), padding that is the patterned bytes
/// of the file's seed, and a few closing bytes (<see cref="Tail"/>). Only head and tail are kept in memory,
/// so a padded file of many megabytes costs a few kilobytes.
/// </summary>
internal sealed class MediaLayout
{
    public MediaLayout(byte[] head, long paddingLength, byte[] tail)
    {
        Head = head;
        PaddingLength = paddingLength;
        Tail = tail;
    }

    public byte[] Head { get; }

    public long PaddingLength { get; }

    public byte[] Tail { get; }

    public long Length => Head.Length + PaddingLength + Tail.Length;

    /// <summary>Fills <paramref name="buffer"/> with the file's bytes from <paramref name="offset"/>; past the end, with the pattern.</summary>
    public void Fill(ulong seed, long offset, Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            long at = offset + done;
            Span<byte> rest = buffer[done..];
            int n;
            if (at < Head.Length)
            {
                n = (int)Math.Min(rest.Length, Head.Length - at);
                Head.AsSpan((int)at, n).CopyTo(rest);
            }
            else if (at < Head.Length + PaddingLength)
            {
                n = (int)Math.Min(rest.Length, Head.Length + PaddingLength - at);
                GeneratedContent.FillPattern(seed, at - Head.Length, rest[..n]);
            }
            else if (at < Length)
            {
                n = (int)Math.Min(rest.Length, Length - at);
                Tail.AsSpan((int)(at - Head.Length - PaddingLength), n).CopyTo(rest);
            }
            else
            {
                GeneratedContent.FillPattern(seed, at, rest);
                n = rest.Length;
            }
            done += n;
        }
    }
}
