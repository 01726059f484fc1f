using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;

namespace ZAi.Emulator;

/// <summary><c>GET|HEAD /media/{taskId}/{file}</c>: generated media with ranges and injected media faults.</summary>
internal sealed class MediaEndpoint(EmulatorState state)
{
    public const string Prefix = "/media/";

    /// <summary>Last-Modified of the first version of every file (when the host dates its files in the past, the default).</summary>
    public const string LastModified = "Wed, 01 Jan 2025 00:00:00 GMT";

    private const int FlushEvery = GeneratedContent.ChunkSize;

    public async Task HandleAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        string[] parts = request.RawPath[Prefix.Length..].Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            await HttpResponses.WriteTextAsync(ctx, StatusCodes.Status404NotFound, "Not Found");
            return;
        }
        string id = Uri.UnescapeDataString(parts[0]);
        string file = Uri.UnescapeDataString(parts[1]);
        request.TaskId = id;
        bool head = HttpMethods.IsHead(ctx.Request.Method);
        if (!head && !HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "GET, HEAD";
            await HttpResponses.WriteTextAsync(ctx, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");
            return;
        }
        EmulatedTask? task = state.Tasks.Find(id);
        if (task is null)
        {
            await HttpResponses.WriteTextAsync(ctx, StatusCodes.Status404NotFound, "Task not found: " + id);
            return;
        }
        bool known = MediaFiles.TryResolve(task, file, out string contentType);
        Fault? fault = task.BeginMediaRequest(file, consumeFault: known);
        if (!known)
        {
            await HttpResponses.WriteTextAsync(ctx, StatusCodes.Status404NotFound, "File not found: " + file);
            return;
        }
        if (task.MediaExpired(image: file.StartsWith("image", StringComparison.Ordinal)))
        {
            await HttpResponses.WriteBytesAsync(ctx, StatusCodes.Status403Forbidden, "application/xml", ErrorBodies.ExpiredLink());
            return;
        }
        if (fault is { Kind: FaultKind.Status })
        {
            await HttpResponses.WriteTextAsync(ctx, fault.Status, fault.Message, fault.RetryAfter);
            return;
        }
        if (fault is { Kind: FaultKind.Html })
        {
            await HttpResponses.WriteBytesAsync(ctx, fault.Status, fault.ContentType ?? "text/html; charset=utf-8", ErrorBodies.Html(404), fault.RetryAfter);
            return;
        }
        if (fault is { Kind: FaultKind.RangeNotSatisfiable })
        {
            ctx.Response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            ctx.Response.Headers.ContentRange = "bytes */" + fault.AfterBytes.ToString(CultureInfo.InvariantCulture);
            ctx.Response.ContentLength = 0;
            return;
        }
        if (fault is { Kind: FaultKind.Slow })
        {
            await Task.Delay(fault.DelayMs, ctx.RequestAborted);
        }
        if (fault is { Kind: FaultKind.NewVersion }) state.MediaVersions.Bump(task.Id, file);
        await ServeFileAsync(ctx, task, file, contentType, fault, head);
    }

    private async Task ServeFileAsync(HttpContext ctx, EmulatedTask task, string file, string contentType, Fault? fault, bool head)
    {
        long size = task.Shape.MediaSize;
        ulong seed = state.MediaVersions.Seed(task.Id, file);
        MediaHostSettings host = state.MediaHost;
        string? etag = host.ETag switch
        {
            "none" => null,
            "weak" => "W/" + GeneratedContent.ETag(seed, size),
            _ => GeneratedContent.ETag(seed, size),
        };
        string? lastModified = host.LastModified switch
        {
            "none" => null,
            // The second of this answer, so Date and Last-Modified are equal: the file may change again within it.
            "now" => DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture),
            _ => MediaVersions.PastLastModified(state.MediaVersions.Version(task.Id, file)).ToString("r", CultureInfo.InvariantCulture),
        };
        FaultKind? kind = fault?.Kind;
        bool rangesSupported = kind is not (FaultKind.NoRange or FaultKind.WrongLength) && host.Ranges;

        HttpResponse response = ctx.Response;
        response.ContentType = contentType;
        if (etag is not null) response.Headers.ETag = etag;
        if (lastModified is not null) response.Headers.LastModified = lastModified;
        if (rangesSupported) response.Headers.AcceptRanges = "bytes";

        HttpRange range = rangesSupported && (host.IgnoreIfRange || IfRangeMatches(ctx, etag, lastModified))
            ? HttpRange.Parse(ctx.Request.Headers.Range.ToString(), size)
            : HttpRange.Whole(size);
        if (kind == FaultKind.ForeignRange && range.Kind == RangeKind.Partial)
        {
            // Same ETag, but the bytes and total length of another, longer file.
            long otherSize = size + fault!.AfterBytes;
            ulong otherSeed = GeneratedContent.Seed(task.Id + "-other", file);
            long otherLength = otherSize - range.Start;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{otherSize - 1}/{otherSize}");
            response.ContentLength = otherLength;
            if (!head) await StreamAsync(response.BodyWriter, otherSeed, range.Start, otherLength, 0, ctx.RequestAborted);
            return;
        }
        if (kind == FaultKind.WrongRange && range.Kind == RangeKind.Partial)
        {
            range = WrongRange.Shift(range, fault!.AfterBytes, size);
        }
        if (range.Kind == RangeKind.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = "bytes */" + size.ToString(CultureInfo.InvariantCulture);
            response.ContentLength = 0;
            return;
        }
        response.StatusCode = range.Kind == RangeKind.Partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        if (range.Kind == RangeKind.Partial)
        {
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.End}/{size}");
        }
        long length = range.Length;
        if (kind == FaultKind.WrongLength)
        {
            length = size + 100; // no Content-Length: chunked, and more bytes than the file has
        }
        else if (kind == FaultKind.Endless)
        {
            length = long.MaxValue; // no Content-Length: chunked, and never ends
        }
        else if (kind == FaultKind.HugeLength)
        {
            response.ContentLength = 10L * 1024 * 1024 * 1024;
            length = long.MaxValue; // sends until the client goes away
        }
        else
        {
            response.ContentLength = length;
        }

        CancellationToken ct = ctx.RequestAborted;
        switch (kind)
        {
            case FaultKind.Drop:
                if (!head) await StreamAsync(response.BodyWriter, seed, range.Start, Math.Min(fault!.AfterBytes, Math.Max(0, length - 1)), 0, ct);
                await ConnectionDrop.AfterFlushAsync(ctx);
                return;
            case FaultKind.Stall:
                if (head) return;
                Task released = task.MediaReleased;
                long first = Math.Min(fault!.AfterBytes, length);
                await StreamAsync(response.BodyWriter, seed, range.Start, first, 0, ct);
                await released.WaitAsync(ct);
                await StreamAsync(response.BodyWriter, seed, range.Start + first, length - first, 0, ct);
                return;
            case FaultKind.ShortBody:
                if (!head) await StreamAsync(response.BodyWriter, seed, range.Start, length / 2, 0, ct);
                await ConnectionDrop.AfterFlushAsync(ctx);
                return;
            default:
                if (head) return;
                long bytesPerSecond = kind == FaultKind.Drip ? fault!.BytesPerSecond : host.BytesPerSecondOn(ctx.Connection.Id);
                await StreamAsync(response.BodyWriter, seed, range.Start, length, bytesPerSecond, ct);
                return;
        }
    }

    /// <summary>
    /// True when there is no If-Range or it names the current validator by strong comparison (RFC 9110 13.1.5):
    /// a weak ETag never matches.
    /// </summary>
    private static bool IfRangeMatches(HttpContext ctx, string? etag, string? lastModified)
    {
        string ifRange = ctx.Request.Headers.IfRange.ToString();
        if (ifRange.Length == 0) return true;
        if (ifRange.StartsWith("W/", StringComparison.Ordinal)) return false;
        return (etag is not null && !etag.StartsWith("W/", StringComparison.Ordinal) && ifRange == etag) || (lastModified is not null && ifRange == lastModified);
    }

    /// <summary>
    /// Writes <paramref name="count"/> generated bytes from <paramref name="offset"/> straight into
    /// the response pipe, flushing every 64 KiB (or per small piece, paced, when dripping).
    /// </summary>
    private static async Task StreamAsync(PipeWriter writer, ulong seed, long offset, long count, long bytesPerSecond, CancellationToken ct)
    {
        int flushEvery = bytesPerSecond > 0 ? (int)Math.Clamp(bytesPerSecond / 10, 1, FlushEvery) : FlushEvery;
        long started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < count)
        {
            int pending = 0;
            while (pending < flushEvery && sent < count)
            {
                Memory<byte> memory = writer.GetMemory();
                int n = (int)Math.Min(Math.Min(memory.Length, flushEvery - pending), count - sent);
                GeneratedContent.Fill(seed, offset + sent, memory.Span[..n]);
                writer.Advance(n);
                pending += n;
                sent += n;
            }
            FlushResult result = await writer.FlushAsync(ct);
            if (result.IsCanceled || result.IsCompleted) return;
            if (bytesPerSecond > 0 && sent < count)
            {
                TimeSpan due = TimeSpan.FromSeconds((double)sent / bytesPerSecond) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            }
        }
    }
}
