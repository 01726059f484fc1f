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
        // Agent tasks are polled on /v1/agents/async-result only; another account's task does not exist for this key.
        if (task is null || task.Kind == TaskKind.Agent || !state.Owns(request.Account, id))
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
        if (await FaultResponses.TryWriteRejectionAsync(ctx, fault)) return;
        switch (fault.Kind)
        {
            case FaultKind.Slow:
                await Task.Delay(fault.DelayMs, ctx.RequestAborted);
                await WriteNormalAsync(ctx, task);
                break;
            case FaultKind.Drop:
                await FaultResponses.DropAsync(ctx, ResultBodies.Build(task, task.PeekStatus(), state.MediaRoot), fault.AfterBytes);
                break;
            default:
                throw new InvalidOperationException($"Fault {fault.Kind} is not an API fault.");
        }
    }
}
