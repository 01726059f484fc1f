using Microsoft.AspNetCore.Http.Features;

namespace ZAi.Emulator;

/// <summary>Reads a request body into memory once, so that it can be both logged and parsed.</summary>
internal static class RequestBodyBuffer
{
    /// <summary>Largest body the API endpoints accept and the request log records: 16 MiB.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The body's bytes, or null when the request declares no body (no Content-Length above 0 and
    /// not chunked). At most <see cref="MaxBytes"/> bytes are kept; <c>TooLarge</c> tells whether
    /// more were sent (the rest is left unread).
    /// </summary>
    public static async Task<(byte[]? Bytes, bool TooLarge)> ReadAsync(HttpContext ctx)
    {
        if (ctx.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }) return (null, false);
        long? declared = ctx.Request.ContentLength;
        if (declared == 0) return (null, false);
        int capacity = declared is long length && length <= MaxBytes ? (int)length : 64 * 1024;
        using var buffer = new MemoryStream(capacity);
        byte[] chunk = new byte[64 * 1024];
        while (buffer.Length <= MaxBytes)
        {
            int wanted = (int)Math.Min(chunk.Length, MaxBytes + 1 - buffer.Length);
            int read = await ctx.Request.Body.ReadAsync(chunk.AsMemory(0, wanted), ctx.RequestAborted);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
        }
        bool tooLarge = buffer.Length > MaxBytes;
        byte[] bytes = buffer.ToArray();
        return tooLarge ? (bytes[..MaxBytes], true) : (bytes, false);
    }
}
