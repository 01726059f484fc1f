using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ZAi.Emulator;

/// <summary>
/// The deterministic bytes of every emulated media file. A file registered with <see cref="RealMedia"/>
/// (every file of a task whose mediaSize holds a picture) is a real MP4, JPEG or PNG; otherwise the byte
/// at offset k is byte (k mod 8) (little-endian) of splitmix64(seed ^ (k / 8)), with seed = FNV-1a 64 of
/// UTF-8(taskId) + 0x00 + UTF-8(file), so any range can be produced without state.
/// </summary>
public static class GeneratedContent
{
    /// <summary>Chunk size used when streaming and hashing.</summary>
    internal const int ChunkSize = 64 * 1024;

    /// <summary>Stable seed of one file of one task.</summary>
    public static ulong Seed(string taskId, string file)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(file);
        ulong hash = 14695981039346656037UL;
        hash = Fnv(hash, taskId);
        hash = (hash ^ 0) * 1099511628211UL;
        return Fnv(hash, file);
    }

    /// <summary>Fills <paramref name="buffer"/> with the file's bytes starting at <paramref name="offset"/>.</summary>
    public static void Fill(string taskId, string file, long offset, Span<byte> buffer) =>
        Fill(Seed(taskId, file), offset, buffer);

    /// <summary>Lower-case hex SHA-256 of the first <paramref name="size"/> bytes of the file.</summary>
    public static string Sha256(string taskId, string file, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ulong seed = Seed(taskId, file);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (long offset = 0; offset < size;)
            {
                int n = (int)Math.Min(ChunkSize, size - offset);
                Fill(seed, offset, buffer.AsSpan(0, n));
                hash.AppendData(buffer, 0, n);
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The quoted strong ETag the media endpoint sends for this file and size.</summary>
    public static string ETag(string taskId, string file, long size) => ETag(Seed(taskId, file), size);

    internal static string ETag(ulong seed, long size) => $"\"{seed:x16}-{size:x}\"";

    internal static void Fill(ulong seed, long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (RealMedia.TryGet(seed, out MediaLayout real))
        {
            real.Fill(seed, offset, buffer);
            return;
        }
        FillPattern(seed, offset, buffer);
    }

    /// <summary>The patterned bytes alone, whatever the file (the padding inside real media files).</summary>
    internal static void FillPattern(ulong seed, long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int i = 0;
        long pos = offset;
        while (i < buffer.Length && (pos & 7) != 0)
        {
            buffer[i++] = ByteAt(seed, pos++);
        }
        while (buffer.Length - i >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.Slice(i), SplitMix64(seed ^ (ulong)(pos >> 3)));
            i += 8;
            pos += 8;
        }
        while (i < buffer.Length)
        {
            buffer[i++] = ByteAt(seed, pos++);
        }
    }

    private static byte ByteAt(ulong seed, long pos) =>
        (byte)(SplitMix64(seed ^ (ulong)(pos >> 3)) >> (int)((pos & 7) * 8));

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static ulong Fnv(ulong hash, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> bytes = rented ?? stackalloc byte[512];
        int n = Encoding.UTF8.GetBytes(text, bytes);
        foreach (byte b in bytes[..n])
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return hash;
    }
}
