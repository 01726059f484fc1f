using System.Buffers.Binary;
using System.Text;

namespace ZAi.Emulator;

/// <summary>
/// A playable MP4 (ISO base media, one H.264 Baseline track) of a <see cref="Picture"/>: one second, one
/// frame, coded as I_PCM macroblocks (raw samples inside a valid H.264 stream), so no video encoder is
/// needed. Optionally padded to a size with a trailing 'free' box, which players skip.
/// </summary>
internal static class Mp4Encoder
{
    private const int TimeScale = 1000;

    /// <summary>The file padded to exactly <paramref name="size"/> bytes (0: no padding); null when it cannot fit.</summary>
    public static MediaLayout? Encode(Picture picture, long size, ulong seed)
    {
        if (picture.Width % 16 != 0 || picture.Height % 16 != 0) throw new ArgumentException("The picture must be a whole number of 16x16 macroblocks.");
        byte[] sps = Nal(0x67, SequenceParameterSet(picture));
        byte[] pps = Nal(0x68, PictureParameterSet());
        byte[] idr = Nal(0x65, IdrSlice(picture));
        var sample = new byte[4 + idr.Length];
        BinaryPrimitives.WriteInt32BigEndian(sample, idr.Length);
        idr.CopyTo(sample, 4);

        byte[] ftyp = Box("ftyp", Concat(Ascii("isom"), U32(512), Ascii("isom"), Ascii("iso2"), Ascii("avc1"), Ascii("mp41")));
        byte[] moov = Moov(picture, sps, pps, sample.Length, chunkOffset: 0);
        long mdatStart = ftyp.Length + moov.Length;
        moov = Moov(picture, sps, pps, sample.Length, chunkOffset: (uint)(mdatStart + 8));
        byte[] mdat = Box("mdat", sample);
        long bare = ftyp.Length + moov.Length + mdat.Length;

        byte[] file = Concat(ftyp, moov, mdat);
        if (size == 0 || size == bare) return new MediaLayout(file, 0, []);
        long pad = size - bare;
        if (pad < 8 || pad > uint.MaxValue) return null;
        var free = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(free, (uint)pad);
        Encoding.ASCII.GetBytes("free").CopyTo(free, 4);
        return new MediaLayout(Concat(file, free), pad - 8, []);
    }

    private static byte[] SequenceParameterSet(Picture picture)
    {
        var bits = new BitWriter();
        bits.Bits(66, 8);             // profile_idc: Baseline
        bits.Bits(0xC0, 8);           // constraint_set0_flag, constraint_set1_flag
        bits.Bits(30, 8);             // level_idc 3.0
        bits.Ue(0);                   // seq_parameter_set_id
        bits.Ue(0);                   // log2_max_frame_num_minus4
        bits.Ue(2);                   // pic_order_cnt_type
        bits.Ue(1);                   // max_num_ref_frames
        bits.Bits(0, 1);              // gaps_in_frame_num_value_allowed_flag
        bits.Ue(picture.Width / 16 - 1);
        bits.Ue(picture.Height / 16 - 1);
        bits.Bits(1, 1);              // frame_mbs_only_flag
        bits.Bits(1, 1);              // direct_8x8_inference_flag
        bits.Bits(0, 1);              // frame_cropping_flag
        bits.Bits(0, 1);              // vui_parameters_present_flag
        return bits.Trailing();
    }

    private static byte[] PictureParameterSet()
    {
        var bits = new BitWriter();
        bits.Ue(0);                   // pic_parameter_set_id
        bits.Ue(0);                   // seq_parameter_set_id
        bits.Bits(0, 1);              // entropy_coding_mode_flag: CAVLC
        bits.Bits(0, 1);              // bottom_field_pic_order_in_frame_present_flag
        bits.Ue(0);                   // num_slice_groups_minus1
        bits.Ue(0);                   // num_ref_idx_l0_default_active_minus1
        bits.Ue(0);                   // num_ref_idx_l1_default_active_minus1
        bits.Bits(0, 1);              // weighted_pred_flag
        bits.Bits(0, 2);              // weighted_bipred_idc
        bits.Se(0);                   // pic_init_qp_minus26
        bits.Se(0);                   // pic_init_qs_minus26
        bits.Se(0);                   // chroma_qp_index_offset
        bits.Bits(0, 1);              // deblocking_filter_control_present_flag
        bits.Bits(0, 1);              // constrained_intra_pred_flag
        bits.Bits(0, 1);              // redundant_pic_cnt_present_flag
        return bits.Trailing();
    }

    private static byte[] IdrSlice(Picture picture)
    {
        var bits = new BitWriter();
        bits.Ue(0);                   // first_mb_in_slice
        bits.Ue(7);                   // slice_type: I (all slices)
        bits.Ue(0);                   // pic_parameter_set_id
        bits.Bits(0, 4);              // frame_num
        bits.Ue(0);                   // idr_pic_id
        bits.Bits(0, 1);              // no_output_of_prior_pics_flag
        bits.Bits(0, 1);              // long_term_reference_flag
        bits.Se(0);                   // slice_qp_delta
        int mbWidth = picture.Width / 16, mbHeight = picture.Height / 16;
        for (int my = 0; my < mbHeight; my++)
        {
            for (int mx = 0; mx < mbWidth; mx++)
            {
                bits.Ue(25);          // mb_type: I_PCM
                bits.Align();         // pcm_alignment_zero_bit
                for (int y = 0; y < 16; y++)
                {
                    for (int x = 0; x < 16; x++) bits.Bits(Luma(picture, mx * 16 + x, my * 16 + y), 8);
                }
                for (int plane = 0; plane < 2; plane++)
                {
                    for (int y = 0; y < 8; y++)
                    {
                        for (int x = 0; x < 8; x++) bits.Bits(Chroma(picture, mx * 16 + x * 2, my * 16 + y * 2, plane), 8);
                    }
                }
            }
        }
        return bits.Trailing();
    }

    private static int Luma(Picture p, int x, int y)
    {
        int i = (y * p.Width + x) * 3;
        return Clamp(16 + (65.481 * p.Pixels[i] + 128.553 * p.Pixels[i + 1] + 24.966 * p.Pixels[i + 2]) / 255);
    }

    private static int Chroma(Picture p, int x, int y, int plane)
    {
        double sum = 0;
        for (int dy = 0; dy < 2; dy++)
        {
            for (int dx = 0; dx < 2; dx++)
            {
                int i = ((y + dy) * p.Width + x + dx) * 3;
                double r = p.Pixels[i], g = p.Pixels[i + 1], b = p.Pixels[i + 2];
                sum += plane == 0 ? 128 + (-37.797 * r - 74.203 * g + 112 * b) / 255 : 128 + (112 * r - 93.786 * g - 18.214 * b) / 255;
            }
        }
        return Clamp(sum / 4);
    }

    // PCM samples of 0 are not allowed in the Baseline profile, and limited range never needs them.
    private static int Clamp(double value) => (int)Math.Round(Math.Min(254, Math.Max(1, value)));

    /// <summary>A NAL unit (header byte and payload) with emulation prevention bytes.</summary>
    private static byte[] Nal(byte header, byte[] rbsp)
    {
        var output = new List<byte>(rbsp.Length + 16) { header };
        int zeros = 0;
        foreach (byte b in rbsp)
        {
            if (zeros >= 2 && b <= 3)
            {
                output.Add(3);
                zeros = 0;
            }
            output.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return output.ToArray();
    }

    private static byte[] Moov(Picture picture, byte[] sps, byte[] pps, int sampleSize, uint chunkOffset)
    {
        byte[] matrix = Concat(U32(0x00010000), U32(0), U32(0), U32(0), U32(0x00010000), U32(0), U32(0), U32(0), U32(0x40000000));
        byte[] mvhd = FullBox("mvhd", 0, 0, Concat(U32(0), U32(0), U32(TimeScale), U32(TimeScale), U32(0x00010000), U16(0x0100), new byte[10], matrix, new byte[24], U32(2)));
        byte[] tkhd = FullBox("tkhd", 0, 3, Concat(U32(0), U32(0), U32(1), U32(0), U32(TimeScale), new byte[8], U16(0), U16(0), U16(0), U16(0), matrix,
            U32((uint)picture.Width << 16), U32((uint)picture.Height << 16)));
        byte[] mdhd = FullBox("mdhd", 0, 0, Concat(U32(0), U32(0), U32(TimeScale), U32(TimeScale), U16(0x55C4), U16(0)));
        byte[] hdlr = FullBox("hdlr", 0, 0, Concat(U32(0), Ascii("vide"), new byte[12], Ascii("VideoHandler\0")));
        byte[] vmhd = FullBox("vmhd", 0, 1, new byte[8]);
        byte[] dinf = Box("dinf", FullBox("dref", 0, 0, Concat(U32(1), FullBox("url ", 0, 1, []))));
        byte[] avcC = Box("avcC", Concat([1, sps[1], sps[2], sps[3], 0xFF, 0xE1], U16((ushort)sps.Length), sps, [1], U16((ushort)pps.Length), pps));
        var compressor = new byte[32];
        byte[] avc1 = Box("avc1", Concat(new byte[6], U16(1), U16(0), U16(0), new byte[12], U16((ushort)picture.Width), U16((ushort)picture.Height),
            U32(0x00480000), U32(0x00480000), U32(0), U16(1), compressor, U16(0x0018), U16(0xFFFF), avcC));
        byte[] stsd = FullBox("stsd", 0, 0, Concat(U32(1), avc1));
        byte[] stts = FullBox("stts", 0, 0, Concat(U32(1), U32(1), U32(TimeScale)));
        byte[] stss = FullBox("stss", 0, 0, Concat(U32(1), U32(1)));
        byte[] stsc = FullBox("stsc", 0, 0, Concat(U32(1), U32(1), U32(1), U32(1)));
        byte[] stsz = FullBox("stsz", 0, 0, Concat(U32(0), U32(1), U32((uint)sampleSize)));
        byte[] stco = FullBox("stco", 0, 0, Concat(U32(1), U32(chunkOffset)));
        byte[] stbl = Box("stbl", Concat(stsd, stts, stss, stsc, stsz, stco));
        byte[] minf = Box("minf", Concat(vmhd, dinf, stbl));
        byte[] mdia = Box("mdia", Concat(mdhd, hdlr, minf));
        byte[] trak = Box("trak", Concat(tkhd, mdia));
        return Box("moov", Concat(mvhd, trak));
    }

    private static byte[] Box(string type, byte[] content) => Concat(U32((uint)(content.Length + 8)), Ascii(type), content);

    private static byte[] FullBox(string type, byte version, uint flags, byte[] content) =>
        Box(type, Concat(U32(((uint)version << 24) | flags), content));

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U32(int value) => U32((uint)value);

    private static byte[] U16(ushort value) => [(byte)(value >> 8), (byte)value];

    private static byte[] U16(int value) => U16((ushort)value);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Concat(params byte[][] parts)
    {
        var all = new byte[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (byte[] part in parts)
        {
            part.CopyTo(all, offset);
            offset += part.Length;
        }
        return all;
    }

    /// <summary>The bits of an H.264 RBSP: fixed-width fields and Exp-Golomb codes.</summary>
    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = new();
        private int _buffer;
        private int _count;

        public void Bits(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    _bytes.Add((byte)_buffer);
                    _buffer = 0;
                    _count = 0;
                }
            }
        }

        public void Ue(int value)
        {
            int code = value + 1;
            int length = 0;
            while ((code >> length) > 1) length++;
            Bits(0, length);
            Bits(code, length + 1);
        }

        public void Se(int value) => Ue(value <= 0 ? -2 * value : 2 * value - 1);

        public void Align()
        {
            while (_count != 0) Bits(0, 1);
        }

        /// <summary>rbsp_trailing_bits: a one, then zeros to the byte boundary.</summary>
        public byte[] Trailing()
        {
            Bits(1, 1);
            Align();
            return _bytes.ToArray();
        }
    }
}
