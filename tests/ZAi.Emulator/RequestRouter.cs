using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace ZAi.Emulator;

/// <summary>
/// The emulator's only request handler: records every request in the log, buffers the body of
/// <c>/api/*</c> requests (logged, and parsed by the submission endpoints), applies latency and auth
/// to <c>/api/*</c>, and hands each request to the endpoint that owns its raw path.
/// </summary>
internal sealed class RequestRouter
{
    private const string ApiPrefix = "/api/";

    private readonly EmulatorState _state;
    private readonly ILogger _logger;
    private readonly AsyncResultEndpoint _asyncResult;
    private readonly MediaEndpoint _media;
    private readonly ControlEndpoints _control;
    private readonly SubmissionEndpoint _submission;
    private readonly AgentsEndpoint _agents;

    public RequestRouter(EmulatorState state, ILogger logger)
    {
        _state = state;
        _logger = logger;
        _asyncResult = new AsyncResultEndpoint(state);
        _media = new MediaEndpoint(state);
        _control = new ControlEndpoints(state);
        _submission = new SubmissionEndpoint(state);
        _agents = new AgentsEndpoint(state);
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        DateTimeOffset timestamp = DateTimeOffset.UtcNow;
        long arrival = _state.Log.Arrive();
        string? rawTarget = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget)) rawTarget = ctx.Request.Path.Value + ctx.Request.QueryString.Value;
        var request = new EmulatorRequestFeature(rawTarget);
        Dictionary<string, string> headers = CaptureHeaders(ctx.Request.Headers);
        try
        {
            await DispatchAsync(ctx, request);
        }
        catch (Exception e) when (ctx.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // the client went away (or the emulator is stopping): nothing to answer
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Emulator failed on {Method} {Target}", ctx.Request.Method, rawTarget);
            if (ctx.Response.HasStarted)
            {
                ctx.Abort();
            }
            else
            {
                ctx.Response.Clear();
                await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status500InternalServerError, ErrorBodies.Zai("500", "Emulator error: " + e.Message));
            }
        }
        finally
        {
            if (!request.SkipLog) _state.Log.Add(new RequestLogEntry
            {
                Method = ctx.Request.Method,
                RawTarget = rawTarget,
                Headers = headers,
                TaskId = request.TaskId,
                Body = request.BodyText,
                Status = ctx.Response.StatusCode,
                Timestamp = timestamp,
                ArrivalSequence = arrival,
            });
        }
    }

    private Task DispatchAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        string path = request.RawPath;
        if (path.StartsWith(ApiPrefix, StringComparison.Ordinal) || path == "/api")
        {
            return HeldAsync(ctx, () => ApiAsync(ctx, request));
        }
        if (path.StartsWith(MediaEndpoint.Prefix, StringComparison.Ordinal))
        {
            return HeldAsync(ctx, () => MediaAsync(ctx, request));
        }
        if (path.StartsWith(ControlEndpoints.Prefix, StringComparison.Ordinal))
        {
            return _control.HandleAsync(ctx, request);
        }
        return HttpResponses.WriteTextAsync(ctx, StatusCodes.Status404NotFound, "Not Found");
    }

    private async Task ApiAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        request.TaskId = AsyncResultEndpoint.TryGetTaskId(request.RawPath); // logged even when auth fails
        (request.Body, request.BodyTooLarge) = await RequestBodyBuffer.ReadAsync(ctx); // likewise
        if (request.BodyTooLarge) ctx.Response.Headers.Connection = "close"; // the rest of the body stays unread
        await _state.DelayAsync(ctx.RequestAborted);
        byte[]? authError = CheckAuth(ctx.Request.Headers.Authorization, request);
        if (authError is not null)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status401Unauthorized, authError);
            return;
        }
        if (request.BodyTooLarge)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status413PayloadTooLarge, ErrorBodies.BodyTooLarge);
            return;
        }
        if (request.TaskId is not null)
        {
            await _asyncResult.HandleAsync(ctx, request);
            return;
        }
        if (AgentsEndpoint.Owns(request.RawPath))
        {
            await _agents.HandleAsync(ctx, request);
            return;
        }
        if (SubmissionEndpoint.TryGetKind(request.RawPath) is TaskKind kind)
        {
            await _submission.HandleAsync(ctx, request, kind);
            return;
        }
        await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status404NotFound, ErrorBodies.NotFound);
    }

    private async Task MediaAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        await _state.DelayAsync(ctx.RequestAborted);
        await _state.MediaHost.DelayAsync(ctx.RequestAborted);
        await _media.HandleAsync(ctx, request);
        if (ctx.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent && !ctx.RequestAborted.IsCancellationRequested)
        {
            _state.Hold.Happened(HoldEvent.Media);
        }
    }

    /// <summary>Answers the request unless the hold gate holds it; a held request is dropped unanswered when released (499 in the log).</summary>
    private async Task HeldAsync(HttpContext ctx, Func<Task> answer)
    {
        if (await _state.Hold.PassAsync(ctx.RequestAborted))
        {
            await answer();
            return;
        }
        ctx.Response.StatusCode = 499;
        ctx.Abort();
    }

    /// <summary>Null when the header carries <c>Bearer &lt;known key&gt;</c>, else the 401 body to send.</summary>
    /// <summary>Each known key is an account of its own: its tasks and request ids are seen by no other key.</summary>
    private byte[]? CheckAuth(StringValues authorization, EmulatorRequestFeature request)
    {
        string? value = authorization.Count == 1 ? authorization[0] : authorization.ToString();
        if (string.IsNullOrWhiteSpace(value)) return ErrorBodies.MissingAuth;
        const string scheme = "Bearer ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return ErrorBodies.InvalidAuth;
        string key = value[scheme.Length..].Trim();
        if (!_state.IsKnownKey(key)) return ErrorBodies.InvalidAuth;
        request.Account = key;
        return null;
    }

    private static Dictionary<string, string> CaptureHeaders(IHeaderDictionary source)
    {
        var headers = new Dictionary<string, string>(source.Count, StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, StringValues> header in source)
        {
            headers[header.Key] = header.Value.ToString();
        }
        return headers;
    }
}
