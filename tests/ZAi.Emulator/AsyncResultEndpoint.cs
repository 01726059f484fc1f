namespace ZAi.Emulator;

/// <summary><c>GET /api/paas/v4/async-result/{id}</c>: task status bodies and injected API faults.</summary>
internal sealed class AsyncResultEndpoint(EmulatorState state)
{
    public const string Prefix = "/api/paas/v4/async-result/";

    /// <summary>
    /// The task id of an async-result raw path: the single segment after the prefix, percent-decoded
    /// once; null when the path is not an async-result path or the segment is empty or holds a '/'.
    /// </summary>
    public static string? TryGetTaskId(string rawPath)
    {
        if (!rawPath.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        string remainder = rawPath[Prefix.Length..];
        return remainder.Length == 0 || remainder.Contains('/') ? null : Uri.UnescapeDataString(remainder);
    }

    public async Task HandleAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        string? id = TryGetTaskId(request.RawPath);
        if (id is null)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status404NotFound, ErrorBodies.NotFound);
            return;
        }
        request.TaskId = id;
        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "GET";
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status405MethodNotAllowed, ErrorBodies.MethodNotAllowed);
            return;
        }
        EmulatedTask? task = state.Tasks.Find(id);
        if (task is null)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status404NotFound, ErrorBodies.TaskNotFound(id));
            return;
        }
        Fault? fault = task.BeginApiRequest();
        if (fault is null)
        {
            await WriteNormalAsync(ctx, task);
            return;
        }
        await WriteFaultAsync(ctx, task, fault);
    }

    private Task WriteNormalAsync(HttpContext ctx, EmulatedTask task) =>
        HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status200OK, ResultBodies.Build(task, task.ServeNormal(), state.MediaRoot));

    private async Task WriteFaultAsync(HttpContext ctx, EmulatedTask task, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Status:
                await WriteErrorAsync(ctx, fault.Status, fault);
                break;
            case FaultKind.BusinessIn200:
                await WriteErrorAsync(ctx, StatusCodes.Status200OK, fault);
                break;
            case FaultKind.Html:
                await HttpResponses.WriteBytesAsync(ctx, fault.Status, "text/html; charset=utf-8", ErrorBodies.Html(fault.Status), fault.RetryAfter);
                break;
            case FaultKind.Malformed:
                await HttpResponses.WriteJsonAsync(ctx, fault.Status, ErrorBodies.Malformed, fault.RetryAfter);
                break;
            case FaultKind.Slow:
                await Task.Delay(fault.DelayMs, ctx.RequestAborted);
                await WriteNormalAsync(ctx, task);
                break;
            case FaultKind.Drop:
                await DropAsync(ctx, task, fault);
                break;
            default:
                throw new InvalidOperationException($"Fault {fault.Kind} is not an API fault.");
        }
    }

    private static Task WriteErrorAsync(HttpContext ctx, int status, Fault fault)
    {
        byte[] body = ErrorBodies.Envelope(fault.Envelope, fault.Code, fault.Message);
        string? contentType = fault.Envelope == ErrorEnvelope.None ? null : HttpResponses.JsonContentType;
        return HttpResponses.WriteBytesAsync(ctx, status, contentType, body, fault.RetryAfter);
    }

    /// <summary>Declares a full normal-looking body, sends only its first bytes, then aborts the connection.</summary>
    private async Task DropAsync(HttpContext ctx, EmulatedTask task, Fault fault)
    {
        byte[] body = ResultBodies.Build(task, task.PeekStatus(), state.MediaRoot);
        HttpResponse response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = HttpResponses.JsonContentType;
        response.ContentLength = body.Length;
        int sent = (int)Math.Min(fault.AfterBytes, body.Length - 1);
        await response.Body.WriteAsync(body.AsMemory(0, sent), ctx.RequestAborted);
        await ConnectionDrop.AfterFlushAsync(ctx);
    }
}
