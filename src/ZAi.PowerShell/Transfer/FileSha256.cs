using System;
using System.Buffers;
using System.IO;
using System.Security.Cryptography;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// The SHA-256 of a saved file, recorded in the journal so that a later run can trust the file in another
    /// folder. Computed after the file is complete (a ranged download writes out of order), right after it was
    /// written, so its bytes come from the page cache; off the cmdlet's thread.
    /// </summary>
    internal static class FileSha256
    {
        /// <summary>
        /// How much of a file is read at a time, into a buffer borrowed from the shared pool: under the 85,000 bytes
        /// where .NET puts an array on the large object heap. (A 1 MiB FileStream buffer per file was a new large
        /// object for every file saved, and every few of them cost a full collection: a 2,000-prompt run allocated
        /// 4.8 GB and collected its whole heap 284 times.)
        /// </summary>
        internal const int ChunkSize = 64 * 1024;

        public static string Of(string path)
        {
            using var stream = OpenRead(path);
            return Of(stream, null);
        }

        /// <summary>A saved file opened to be read once from start to end, with no buffer of its own.</summary>
        public static FileStream OpenRead(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

        /// <summary>Reads the stream to its end a chunk at a time, hands each chunk to <paramref name="chunk"/> (a copy
        /// writes it), and returns the SHA-256 of all of it.</summary>
        public static string Of(Stream stream, Action<byte[], int>? chunk)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                int read;
                while ((read = stream.Read(buffer, 0, ChunkSize)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    chunk?.Invoke(buffer, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return Hex(hash.GetHashAndReset());
        }

        /// <summary>The digest (its first <paramref name="count"/> bytes, when given) as lower-case hex digits, as a journal writes it.</summary>
        public static string Hex(byte[] digest, int count = -1)
        {
            if (count < 0 || count > digest.Length) count = digest.Length;
            var hex = new char[count * 2];
            for (var i = 0; i < count; i++)
            {
                hex[2 * i] = HexDigits[digest[i] >> 4];
                hex[2 * i + 1] = HexDigits[digest[i] & 0xF];
            }
            return new string(hex);
        }

        private const string HexDigits = "0123456789abcdef";
    }
}
