using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// The SHA-256 of a saved file, recorded in the journal so that a later run can trust the file in another
    /// folder. Computed after the file is complete (a ranged download writes out of order), right after it was
    /// written, so its bytes come from the page cache; off the cmdlet's thread.
    /// </summary>
    internal static class FileSha256
    {
        private const int BufferSize = 1 << 20;

        public static string Of(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            using var sha = SHA256.Create();
            return Hex(sha.ComputeHash(stream));
        }

        public static string Hex(byte[] digest)
        {
            var hex = new StringBuilder(digest.Length * 2);
            foreach (var b in digest) hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return hex.ToString();
        }
    }
}
