namespace ZAi.Emulator;

/// <summary>
/// How an API fault is answered, shared by every <c>/api/*</c> endpoint so that a fault looks the
/// same whichever endpoint it is injected into.
/// </summary>
internal static class FaultResponses
{
    /// <summary>
    /// Answers a fault that replaces the normal response (status, businessIn200, html, malformed);
    /// false, with nothing written, for faults that only alter the normal response (slow, drop).
    /// </summary>
    public static async Task<bool> TryWriteRejectionAsync(HttpContext ctx, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Status:
                await WriteErrorAsync(ctx, fault.Status, fault);
                return true;
            case FaultKind.BusinessIn200:
                await WriteErrorAsync(ctx, StatusCodes.Status200OK, fault);
                return true;
            case FaultKind.Html:
                await HttpResponses.WriteBytesAsync(ctx, fault.Status, "text/html; charset=utf-8", ErrorBodies.Html(fault.Status), fault.RetryAfter);
                return true;
            case FaultKind.Malformed:
                await HttpResponses.WriteJsonAsync(ctx, fault.Status, ErrorBodies.Malformed, fault.RetryAfter);
                return true;
            case FaultKind.EchoKey:
                await WriteEchoAsync(ctx, fault);
                return true;
            case FaultKind.Slow:
            case FaultKind.Drop:
            case FaultKind.StatusAfterCreate:
                return false;
            default:
                throw new InvalidOperationException($"Fault {fault.Kind} is not an API fault.");
        }
    }

    /// <summary>
    /// Declares <paramref name="body"/> as a full 200 JSON response, sends only its first
    /// <paramref name="afterBytes"/> bytes (never all of it), then aborts the connection.
    /// </summary>
    /// <summary>
    /// Answers a submission whose task already exists (and is billed), as a gateway in front of the real API
    /// may: in time, late (slow), cut off (drop) or with a 5xx (statusAfterCreate).
    /// </summary>
    public static async Task WriteAfterCreationAsync(HttpContext ctx, byte[] body, Fault? fault)
    {
        switch (fault?.Kind)
        {
            case FaultKind.StatusAfterCreate:
                await HttpResponses.WriteJsonAsync(ctx, fault.Status, ErrorBodies.Zai(fault.Code, fault.Message));
                break;
            case FaultKind.Slow:
                await Task.Delay(fault.DelayMs, ctx.RequestAborted);
                await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status200OK, body);
                break;
            case FaultKind.Drop:
                await DropAsync(ctx, body, fault.AfterBytes);
                break;
            default:
                await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status200OK, body);
                break;
        }
    }

    public static async Task DropAsync(HttpContext ctx, byte[] body, long afterBytes)
    {
        HttpResponse response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = HttpResponses.JsonContentType;
        response.ContentLength = body.Length;
        int sent = (int)Math.Max(0, Math.Min(afterBytes, body.Length - 1));
        await response.Body.WriteAsync(body.AsMemory(0, sent), ctx.RequestAborted);
        await ConnectionDrop.AfterFlushAsync(ctx);
    }

    /// <summary>An error whose message, request_id and X-Request-Id header carry the caller's bearer key.</summary>
    private static Task WriteEchoAsync(HttpContext ctx, Fault fault)
    {
        string authorization = ctx.Request.Headers.Authorization.ToString();
        string key = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
        ctx.Response.Headers["X-Request-Id"] = "req-" + key;
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = fault.Code, ["message"] = fault.Message + " for key " + key },
            ["request_id"] = "req-" + key,
        };
        return HttpResponses.WriteBytesAsync(ctx, fault.Status, HttpResponses.JsonContentType, System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), fault.RetryAfter);
    }

    private static Task WriteErrorAsync(HttpContext ctx, int status, Fault fault)
    {
        byte[] body = ErrorBodies.Envelope(fault.Envelope, fault.Code, fault.Message);
        string? contentType = fault.Envelope == ErrorEnvelope.None ? null : HttpResponses.JsonContentType;
        return HttpResponses.WriteBytesAsync(ctx, status, contentType, body, fault.RetryAfter);
    }
}
