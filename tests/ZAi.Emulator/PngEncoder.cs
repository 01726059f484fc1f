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
    /// The file (0 for <paramref name="size"/>: unpadded), or padded to exactly <paramref name="size"/> bytes with a "zaPd" chunk before IEND, whose bytes
    /// come from <paramref name="seed"/>; decoders skip unknown ancillary chunks. Null when it cannot fit.
    /// </summary>
    public static byte[]? Encode(Picture picture, long size, ulong seed)
    {
        byte[] bare = Build(picture, padding: null);
        if (size == 0) return bare;
        long pad = size - bare.Length - 12;
        if (pad < 0 || pad > int.MaxValue - 64) return pad == -12 ? bare : null;
        var filler = new byte[pad];
        GeneratedContent.FillPattern(seed, 0, filler);
        return Build(picture, filler);
    }

    private static byte[] Build(Picture picture, byte[]? padding)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, picture.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), picture.Height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // truecolour
        Chunk(output, "IHDR", header);
        Chunk(output, "tEXt", Encoding.Latin1.GetBytes("Software\0ZAi emulator"));
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
            Chunk(output, "IDAT", raw.ToArray());
        }
        if (padding != null) Chunk(output, "zaPd", padding);
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }

    private static uint Crc(uint crc, byte[] data)
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
