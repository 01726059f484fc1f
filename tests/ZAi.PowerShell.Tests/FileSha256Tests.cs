using System;
using System.IO;
using System.Security.Cryptography;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>The SHA-256 recorded for a saved file, read a chunk at a time from a pooled buffer.</summary>
public sealed class FileSha256Tests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-sha-" + Guid.NewGuid().ToString("n"));

    public FileSha256Tests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FileSha256.ChunkSize)]
    [InlineData(FileSha256.ChunkSize * 3 + 17)]
    public void IsTheDigestOfEveryByteOfTheFile(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = Path.Combine(_folder, $"{length}.bin");
        File.WriteAllBytes(path, bytes);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), FileSha256.Of(path));
    }
}
