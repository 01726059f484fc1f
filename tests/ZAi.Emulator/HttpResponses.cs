using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ZAi.Emulator;

/// <summary>Small helpers that write complete responses.</summary>
internal static class HttpResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public static Task WriteBytesAsync(HttpContext ctx, int status, string? contentType, byte[] body, string? retryAfter = null)
    {
        HttpResponse response = ctx.Response;
        response.StatusCode = status;
        if (retryAfter is not null) response.Headers.RetryAfter = retryAfter;
        if (contentType is not null) response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (body.Length == 0 || HttpMethods.IsHead(ctx.Request.Method)) return Task.CompletedTask;
        return response.Body.WriteAsync(body, 0, body.Length, ctx.RequestAborted);
    }

    public static Task WriteJsonAsync(HttpContext ctx, int status, byte[] body, string? retryAfter = null) =>
        WriteBytesAsync(ctx, status, JsonContentType, body, retryAfter);

    public static Task WriteTextAsync(HttpContext ctx, int status, string text, string? retryAfter = null) =>
        WriteBytesAsync(ctx, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text), retryAfter);

    /// <summary>
    /// Serializes with <see cref="EmulatorJson.WriterOptions"/>, so that recorded bodies and headers
    /// stay readable (<c>\"</c> rather than <c>\u0022</c>, non-ASCII as is).
    /// </summary>
    public static Task WriteObjectAsync<T>(HttpContext ctx, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
        return WriteJsonAsync(ctx, status, buffer.WrittenSpan.ToArray());
    }
}
