using System;
using System.Buffers;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Client
{
    /// <summary>Reads an API response's body whole, refusing one larger than an API answer can be.</summary>
    internal static class ResponseBody
    {
        internal const int MaxBytes = 16 * 1024 * 1024;

        private const int UndeclaredStartBytes = 4096;

        /// <summary>
        /// The body's bytes, in an array of exactly their length. An answer is a few hundred bytes and a run reads
        /// thousands of them: reading through a fresh 16 KiB chunk and a MemoryStream for each was a third of all a
        /// 2,000-prompt run allocated, so the bytes gather in a pooled buffer (sized from Content-Length where the
        /// server sent one) and only the result is allocated.
        /// </summary>
        public static async Task<byte[]> ReadAsync(HttpContent content, CancellationToken cancellationToken)
        {
            var declared = content.Headers.ContentLength;
            if (declared > MaxBytes) throw TooLarge();
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
            var pool = ArrayPool<byte>.Shared;
            // One byte more than declared, so a body that ends where it said it would is seen to end without growing.
            var buffer = pool.Rent((int)(declared ?? UndeclaredStartBytes) + 1);
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var larger = pool.Rent((int)Math.Min(2L * buffer.Length, MaxBytes + 1L));
                        Buffer.BlockCopy(buffer, 0, larger, 0, length);
                        pool.Return(buffer, clearArray: true);
                        buffer = larger;
                    }
                    var read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    length += read;
                    if (length > MaxBytes) throw TooLarge();
                }
                var body = new byte[length];
                Buffer.BlockCopy(buffer, 0, body, 0, length);
                return body;
            }
            finally
            {
                // Cleared: a body may echo what the caller sent, and the pool is the whole process's.
                pool.Return(buffer, clearArray: true);
            }
        }

        private static ZAiApiException TooLarge() =>
            new ZAiApiException(ZAiErrorReason.InvalidResponse, $"The response body is larger than {MaxBytes / (1024 * 1024)} MiB; an API response never is.");
    }
}
