using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ZAi.Emulator;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 15, item 13: the emulator's media files are real MP4, JPEG and PNG files of the task's size.</summary>
public class EmulatorRealMediaTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorServer _server;

    public EmulatorRealMediaTests(EmulatorFixture fixture) => _server = fixture.Server;

    private byte[] File(string id, string file, long size)
    {
        var bytes = new byte[size];
        GeneratedContent.Fill(id, file, 0, bytes);
        return bytes;
    }

    private string AddTask(string kind, long? size = null, string? cover = null)
    {
        var id = EmulatorFixture.NewId("real");
        _server.AddTasks(new TaskSpec { Id = id, Kind = kind, MediaSize = size, CoverExtension = cover });
        return id;
    }

    [Fact]
    public void ACoverIsTheLargestPictureThatFitsItsSize()
    {
        var jpeg = File(AddTask("video", 50_000), "video_0_cover.jpeg", 50_000);

        // The frame header (SOF0): marker, length, precision, then height and width.
        var sof = jpeg.AsSpan().IndexOf(new byte[] { 0xFF, 0xC0 });
        Assert.Equal((360, 640), (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sof + 5)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sof + 7))));
    }

    [Theory]
    [InlineData(4096L)]
    [InlineData(300_000L)]
    public void AVideoIsAnMp4WhoseBoxesFillTheFile(long size)
    {
        var mp4 = File(AddTask("video", size), "video_0.mp4", size);

        var boxes = new List<string>();
        long offset = 0;
        while (offset < mp4.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan((int)offset));
            boxes.Add(Encoding.ASCII.GetString(mp4, (int)offset + 4, 4));
            Assert.True(length >= 8);
            offset += length;
        }
        Assert.Equal(mp4.Length, offset);
        Assert.Equal(new[] { "ftyp", "moov", "mdat" }, boxes.Take(3));
        Assert.Contains("avc1", Encoding.ASCII.GetString(mp4));
        Assert.Contains("avcC", Encoding.ASCII.GetString(mp4));
        // The chunk offset points at the sample: a 4-byte length, then an IDR slice NAL unit (type 5).
        var stco = Encoding.ASCII.GetString(mp4).IndexOf("stco", StringComparison.Ordinal);
        var sample = (int)BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan(stco + 12));
        Assert.Equal(5, mp4[sample + 4] & 0x1F);
    }

    [Fact]
    public void ACoverIsAJpegWhosePaddingFollowsTheEndOfImage()
    {
        var jpeg = File(AddTask("video", 50_000), "video_0_cover.jpeg", 50_000);

        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, jpeg.Take(4));
        Assert.Equal("JFIF", Encoding.ASCII.GetString(jpeg, 6, 4));
        // Walk the segments up to the scan: each announced length lands on the next marker.
        var markers = new List<byte>();
        var offset = 2;
        while (jpeg[offset + 1] != 0xDA)
        {
            Assert.Equal(0xFF, jpeg[offset]);
            markers.Add(jpeg[offset + 1]);
            offset += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(offset + 2));
        }
        Assert.Equal(new byte[] { 0xE0, 0xDB, 0xC0, 0xC4 }, markers);
        // In the entropy-coded data every 0xFF is stuffed (0xFF00) until the end-of-image marker.
        offset += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(offset + 2));
        while (!(jpeg[offset] == 0xFF && jpeg[offset + 1] != 0x00)) offset++;
        Assert.Equal(0xD9, jpeg[offset + 1]);
        Assert.True(offset + 2 < jpeg.Length);
    }

    [Theory]
    [InlineData("image", "image_0.png", 4096L)]
    [InlineData("video", "video_0_cover.png", 20_000L)]
    public void AnImageIsAPngWithValidChunksAndPixels(string kind, string file, long size)
    {
        var png = File(AddTask(kind, size, kind == "video" ? "png" : null), file, size);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png.Take(8));
        var offset = 8;
        var idat = new MemoryStream();
        int width = 0, height = 0;
        string type;
        do
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            type = Encoding.ASCII.GetString(png, offset + 4, 4);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset + 8));
                height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset + 12));
            }
            if (type == "IDAT") idat.Write(png, offset + 8, length);
            Assert.Equal(Crc32(png.AsSpan(offset + 4, length + 4)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length)));
            offset += 12 + length;
        }
        while (type != "IEND");
        Assert.Equal(png.Length, offset);
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        Assert.Equal((width * 3 + 1) * height, inflated.Length);
    }

    [Fact]
    public void AFileTooSmallForAPictureKeepsThePatternedBytes()
    {
        var id = AddTask("image", 100);

        var bytes = File(id, "image_0.png", 100);

        Assert.False(bytes[0] == 0x89 && bytes[1] == 0x50 && bytes[2] == 0x4E && bytes[3] == 0x47);
        Assert.Equal(GeneratedContent.Sha256(id, "image_0.png", 100), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Fact]
    public void EveryRangeOfARealFileIsThatFilesBytes()
    {
        var id = AddTask("video", 10_000);
        var whole = File(id, "video_0.mp4", 10_000);
        var part = new byte[3000];

        GeneratedContent.Fill(id, "video_0.mp4", 4321, part);

        Assert.Equal(whole.Skip(4321).Take(3000), part);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
