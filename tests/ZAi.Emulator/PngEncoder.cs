using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ZAi.Emulator;

/// <summary>A PNG file (8-bit RGB) of a <see cref="Picture"/>, optionally padded to a size with a private ancillary chunk.</summary>
internal static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>
    /// The file, padded to exactly <paramref name="size"/> bytes (0: unpadded) with a "zaPd" chunk before IEND
    /// whose data is the pattern of <paramref name="seed"/>; decoders skip unknown ancillary chunks. Null
    /// when the picture does not fit.
    /// </summary>
    public static MediaLayout? Encode(Picture picture, long size, ulong seed)
    {
        byte[] bare = Build(picture);
        byte[] iend = Chunk("IEND", []);
        byte[] body = bare[..^iend.Length];
        if (size == 0 || size == bare.Length) return new MediaLayout(bare, 0, []);
        long pad = size - bare.Length - 12;
        if (pad < 0 || pad > uint.MaxValue / 2) return null;
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)pad);
        Encoding.ASCII.GetBytes("zaPd", header[4..]);
        uint crc = Crc(0xFFFFFFFFu, header[4..]);
        var chunk = new byte[64 * 1024];
        for (long done = 0; done < pad;)
        {
            int n = (int)Math.Min(chunk.Length, pad - done);
            GeneratedContent.FillPattern(seed, done, chunk.AsSpan(0, n));
            crc = Crc(crc, chunk.AsSpan(0, n));
            done += n;
        }
        var tail = new byte[4 + iend.Length];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc ^ 0xFFFFFFFFu);
        iend.CopyTo(tail, 4);
        return new MediaLayout([.. body, .. header], pad, tail);
    }

    private static byte[] Build(Picture picture)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, picture.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), picture.Height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // truecolour
        output.Write(Chunk("IHDR", header));
        output.Write(Chunk("tEXt", Encoding.Latin1.GetBytes("Software\0ZAi emulator")));
        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                int stride = picture.Width * 3;
                var row = new byte[stride];
                for (int y = 0; y < picture.Height; y++)
                {
                    // Filter "Sub": each byte minus the same channel of the pixel to its left; gradients shrink well.
                    for (int i = 0; i < stride; i++) row[i] = (byte)(picture.Pixels[y * stride + i] - (i >= 3 ? picture.Pixels[y * stride + i - 3] : 0));
                    zlib.WriteByte(1);
                    zlib.Write(row, 0, stride);
                }
            }
            output.Write(Chunk("IDAT", raw.ToArray()));
        }
        output.Write(Chunk("IEND", []));
        return output.ToArray();
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(0xFFFFFFFFu, chunk.AsSpan(4, 4 + data.Length)) ^ 0xFFFFFFFFu);
        return chunk;
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
