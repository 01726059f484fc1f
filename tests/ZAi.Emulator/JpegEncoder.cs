namespace ZAi.Emulator;

/// <summary>
/// A baseline JPEG (JFIF, YCbCr 4:4:4, the standard quantisation and Huffman tables of ITU T.81 Annex K)
/// of a <see cref="Picture"/>, optionally padded to a size with bytes after the end-of-image marker, which
/// decoders do not read.
/// </summary>
internal static class JpegEncoder
{
    private static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private static readonly byte[] LumaQuant =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly byte[] ChromaQuant = BuildChromaQuant();

    private static readonly byte[] DcLumaBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcChromaBits = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    private static readonly byte[] DcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly byte[] AcLumaBits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
    private static readonly byte[] AcChromaBits = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];

    private static readonly byte[] AcLumaValues =
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
        0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
        0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ];

    private static readonly byte[] AcChromaValues =
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
        0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
        0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
        0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ];

    private static readonly double[,] Cosines = BuildCosines();

    /// <summary>The file padded to exactly <paramref name="size"/> bytes (0: no padding); null when it cannot fit.</summary>
    public static MediaLayout? Encode(Picture picture, long size, ulong seed)
    {
        byte[] scan = Scan(picture);
        var head = new MemoryStream();
        head.Write([0xFF, 0xD8]);
        Segment(head, 0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        var tables = new List<byte>();
        tables.Add(0x00);
        foreach (int k in ZigZag) tables.Add(LumaQuant[k]);
        tables.Add(0x01);
        foreach (int k in ZigZag) tables.Add(ChromaQuant[k]);
        Segment(head, 0xDB, tables.ToArray());
        Segment(head, 0xC0,
        [
            8, (byte)(picture.Height >> 8), (byte)picture.Height, (byte)(picture.Width >> 8), (byte)picture.Width, 3,
            1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1,
        ]);
        var huffman = new List<byte>();
        AddTable(huffman, 0x00, DcLumaBits, DcValues);
        AddTable(huffman, 0x10, AcLumaBits, AcLumaValues);
        AddTable(huffman, 0x01, DcChromaBits, DcValues);
        AddTable(huffman, 0x11, AcChromaBits, AcChromaValues);
        Segment(head, 0xC4, huffman.ToArray());
        Segment(head, 0xDA, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
        head.Write(scan);
        head.Write([0xFF, 0xD9]);
        long pad = size == 0 ? 0 : size - head.Length;
        return pad < 0 ? null : new MediaLayout(head.ToArray(), pad, []);
    }

    private static void Segment(Stream output, byte marker, byte[] data)
    {
        int length = data.Length + 2;
        output.Write([0xFF, marker, (byte)(length >> 8), (byte)length]);
        output.Write(data);
    }

    private static void AddTable(List<byte> output, byte classAndId, byte[] bits, byte[] values)
    {
        output.Add(classAndId);
        output.AddRange(bits);
        output.AddRange(values);
    }

    private static byte[] Scan(Picture picture)
    {
        var writer = new BitWriter();
        var dcLuma = Codes(DcLumaBits, DcValues);
        var acLuma = Codes(AcLumaBits, AcLumaValues);
        var dcChroma = Codes(DcChromaBits, DcValues);
        var acChroma = Codes(AcChromaBits, AcChromaValues);
        int[] previous = new int[3];
        var block = new double[64];
        for (int by = 0; by < (picture.Height + 7) / 8; by++)
        {
            for (int bx = 0; bx < (picture.Width + 7) / 8; bx++)
            {
                for (int component = 0; component < 3; component++)
                {
                    for (int y = 0; y < 8; y++)
                    {
                        for (int x = 0; x < 8; x++)
                        {
                            int px = Math.Min(picture.Width - 1, bx * 8 + x);
                            int py = Math.Min(picture.Height - 1, by * 8 + y);
                            int i = (py * picture.Width + px) * 3;
                            double r = picture.Pixels[i], g = picture.Pixels[i + 1], b = picture.Pixels[i + 2];
                            double value = component switch
                            {
                                0 => 0.299 * r + 0.587 * g + 0.114 * b,
                                1 => 128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                                _ => 128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
                            };
                            block[y * 8 + x] = value - 128;
                        }
                    }
                    int[] quantised = Quantise(block, component == 0 ? LumaQuant : ChromaQuant);
                    EncodeBlock(writer, quantised, ref previous[component], component == 0 ? dcLuma : dcChroma, component == 0 ? acLuma : acChroma);
                }
            }
        }
        return writer.Finish();
    }

    private static int[] Quantise(double[] block, byte[] table)
    {
        var result = new int[64];
        for (int v = 0; v < 8; v++)
        {
            for (int u = 0; u < 8; u++)
            {
                double sum = 0;
                for (int y = 0; y < 8; y++)
                {
                    for (int x = 0; x < 8; x++) sum += block[y * 8 + x] * Cosines[y, v] * Cosines[x, u];
                }
                double cu = u == 0 ? Math.Sqrt(0.5) : 1, cv = v == 0 ? Math.Sqrt(0.5) : 1;
                result[v * 8 + u] = (int)Math.Round(0.25 * cu * cv * sum / table[v * 8 + u]);
            }
        }
        return result;
    }

    private static void EncodeBlock(BitWriter writer, int[] coefficients, ref int previousDc, (int Code, int Length)[] dc, (int Code, int Length)[] ac)
    {
        int diff = coefficients[0] - previousDc;
        previousDc = coefficients[0];
        int size = Category(diff);
        writer.Write(dc[size].Code, dc[size].Length);
        if (size > 0) writer.Write(Amplitude(diff, size), size);
        int run = 0;
        for (int k = 1; k < 64; k++)
        {
            int value = coefficients[ZigZag[k]];
            if (value == 0)
            {
                run++;
                continue;
            }
            while (run > 15)
            {
                writer.Write(ac[0xF0].Code, ac[0xF0].Length);
                run -= 16;
            }
            int category = Category(value);
            int symbol = (run << 4) | category;
            writer.Write(ac[symbol].Code, ac[symbol].Length);
            writer.Write(Amplitude(value, category), category);
            run = 0;
        }
        if (run > 0) writer.Write(ac[0x00].Code, ac[0x00].Length);
    }

    private static int Category(int value)
    {
        int magnitude = Math.Abs(value), bits = 0;
        while (magnitude > 0)
        {
            bits++;
            magnitude >>= 1;
        }
        return bits;
    }

    private static int Amplitude(int value, int size) => value >= 0 ? value : value + (1 << size) - 1;

    private static (int Code, int Length)[] Codes(byte[] bits, byte[] values)
    {
        var codes = new (int, int)[256];
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < bits[length - 1]; i++) codes[values[k++]] = (code++, length);
            code <<= 1;
        }
        return codes;
    }

    private static byte[] BuildChromaQuant()
    {
        var table = new byte[64];
        Array.Fill(table, (byte)99);
        byte[] corner = [17, 18, 24, 47, 18, 21, 26, 66, 24, 26, 56, 99, 47, 66, 99, 99];
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 4; x++) table[y * 8 + x] = corner[y * 4 + x];
        }
        return table;
    }

    private static double[,] BuildCosines()
    {
        var table = new double[8, 8];
        for (int x = 0; x < 8; x++)
        {
            for (int u = 0; u < 8; u++) table[x, u] = Math.Cos((2 * x + 1) * u * Math.PI / 16);
        }
        return table;
    }

    /// <summary>Entropy-coded bits with JPEG's byte stuffing (0xFF is followed by 0x00).</summary>
    private sealed class BitWriter
    {
        private readonly MemoryStream _bytes = new();
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Flush();
            }
        }

        public byte[] Finish()
        {
            while (_count != 0) Write(1, 1);
            return _bytes.ToArray();
        }

        private void Flush()
        {
            _bytes.WriteByte((byte)_buffer);
            if (_buffer == 0xFF) _bytes.WriteByte(0);
            _buffer = 0;
            _count = 0;
        }
    }
}
