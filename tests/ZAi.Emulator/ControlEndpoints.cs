using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>The unauthenticated <c>/_emulator/*</c> endpoints that tests use to script and inspect the emulator.</summary>
internal sealed class ControlEndpoints(EmulatorState state)
{
    public const string Prefix = "/_emulator/";

    public Task HandleAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        string route = request.RawPath[Prefix.Length..];
        string method = ctx.Request.Method;
        return (route, method) switch
        {
            ("health", "GET" or "HEAD") => HttpResponses.WriteTextAsync(ctx, StatusCodes.Status200OK, "ok"),
            ("tasks", "POST") => CreateTasksAsync(ctx),
            ("tasks", "GET") => HttpResponses.WriteObjectAsync(ctx, StatusCodes.Status200OK, state.Tasks.SnapshotAll(), EmulatorJson.Default.IReadOnlyListTaskInfo),
            ("task", "GET") => GetTaskAsync(ctx, request),
            ("requests", "GET") => GetRequestsAsync(ctx),
            ("requests", "DELETE") => ClearRequestsAsync(ctx, request),
            ("reset", "POST") => ResetAsync(ctx, request),
            ("config", "GET") => WriteConfigAsync(ctx),
            ("config", "POST") => SetConfigAsync(ctx),
            ("media-version", "POST") => NewMediaVersionAsync(ctx, request),
            ("hold", "POST") => ArmHoldAsync(ctx),
            ("hold", "GET") => WaitHoldAsync(ctx),
            ("hold", "DELETE") => ReleaseHoldAsync(ctx),
            ("health" or "tasks" or "task" or "requests" or "reset" or "config" or "media-version" or "hold", _) =>
                HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status405MethodNotAllowed, ErrorBodies.MethodNotAllowed),
            _ => HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status404NotFound, ErrorBodies.NotFound),
        };
    }

    private async Task CreateTasksAsync(HttpContext ctx)
    {
        List<TaskSpec> specs;
        List<EmulatedTask> tasks;
        try
        {
            using JsonDocument document = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted);
            JsonElement root = document.RootElement;
            specs = root.ValueKind switch
            {
                JsonValueKind.Array => root.Deserialize(EmulatorJson.Default.ListTaskSpec) ?? [],
                JsonValueKind.Object => [root.Deserialize(EmulatorJson.Default.TaskSpec)!],
                _ => throw new ArgumentException("Expected a task spec object or an array of them."),
            };
            tasks = specs.Select(TaskFactory.Create).ToList();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            await BadRequestAsync(ctx, e.Message);
            return;
        }
        foreach (EmulatedTask task in tasks)
        {
            state.Tasks.Put(task);
        }
        await HttpResponses.WriteObjectAsync(ctx, StatusCodes.Status201Created, tasks.Select(t => t.Snapshot()).ToList(), EmulatorJson.Default.ListTaskInfo);
    }

    private Task GetTaskAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        string? id = ctx.Request.Query["id"];
        if (id is null) return BadRequestAsync(ctx, "Query parameter 'id' is required.");
        request.TaskId = id;
        EmulatedTask? task = state.Tasks.Find(id);
        return task is null
            ? HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status404NotFound, ErrorBodies.TaskNotFound(id))
            : HttpResponses.WriteObjectAsync(ctx, StatusCodes.Status200OK, task.Snapshot(), EmulatorJson.Default.TaskInfo);
    }

    /// <summary>Replaces a media file with a new version (other bytes, ETag and Last-Modified) now: a file that changes on a test's event.</summary>
    private Task NewMediaVersionAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        string? id = ctx.Request.Query["id"];
        string? file = ctx.Request.Query["file"];
        if (id is null || file is null) return BadRequestAsync(ctx, "Query parameters 'id' and 'file' are required.");
        request.TaskId = id;
        if (state.Tasks.Find(id) is null) return HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status404NotFound, ErrorBodies.TaskNotFound(id));
        state.MediaVersions.Bump(id, file);
        return HttpResponses.WriteTextAsync(ctx, StatusCodes.Status200OK, "ok");
    }

    private Task GetRequestsAsync(HttpContext ctx)
    {
        string? taskId = ctx.Request.Query["taskId"];
        string? pathContains = ctx.Request.Query["pathContains"];
        return HttpResponses.WriteObjectAsync(ctx, StatusCodes.Status200OK, state.Log.Snapshot(taskId, pathContains), EmulatorJson.Default.ListRequestLogEntry);
    }

    private Task ClearRequestsAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        request.SkipLog = true;
        state.Log.Clear();
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private Task ResetAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        request.SkipLog = true;
        state.Reset();
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task SetConfigAsync(HttpContext ctx)
    {
        ConfigBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(ctx.Request.Body, EmulatorJson.Default.ConfigBody, ctx.RequestAborted);
        }
        catch (JsonException e)
        {
            await BadRequestAsync(ctx, e.Message);
            return;
        }
        if (body?.LatencyMs is < 0)
        {
            await BadRequestAsync(ctx, "latencyMs must not be negative.");
            return;
        }
        if (body?.ConcurrencyRefusals is not null || body?.SubmissionsAccepted is not null || body?.TasksInFlight is not null)
        {
            await BadRequestAsync(ctx, "concurrencyRefusals, submissionsAccepted and tasksInFlight are read-only.");
            return;
        }
        if (body?.ConcurrencyLimit is < 0)
        {
            await BadRequestAsync(ctx, "concurrencyLimit must not be negative (0 for no limit).");
            return;
        }
        if (body?.SubmissionFaultsRemaining is not null)
        {
            await BadRequestAsync(ctx, "submissionFaultsRemaining is read-only; post submissionFaults to replace the queue.");
            return;
        }
        try
        {
            state.Submissions.Configure(body?.Submission, body?.SubmissionFaults);
            state.Outcomes.Configure(body?.FailPrompts, body?.CreatedFaultPercent, body?.ExpirePrompts);
            if (body?.Media is not null) state.MediaHost.Apply(body.Media);
            if (body?.ApiKeys is not null) state.AddKeys(body.ApiKeys);
        }
        catch (ArgumentException e)
        {
            await BadRequestAsync(ctx, e.Message);
            return;
        }
        if (body?.LatencyMs is int latency) state.LatencyMs = latency;
        if (body?.ConcurrencyLimit is int limit) state.Account.Limit = limit;
        await WriteConfigAsync(ctx);
    }

    /// <summary>POST /_emulator/hold {"on": "request"|"accepted"|"media", "count": n}: hold every API and media request after n such events.</summary>
    private async Task ArmHoldAsync(HttpContext ctx)
    {
        HoldState? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(ctx.Request.Body, EmulatorJson.Default.HoldState, ctx.RequestAborted);
        }
        catch (JsonException e)
        {
            await BadRequestAsync(ctx, e.Message);
            return;
        }
        HoldEvent? on = body?.On?.ToLowerInvariant() switch
        {
            "request" => HoldEvent.Request,
            "accepted" => HoldEvent.Accepted,
            "media" => HoldEvent.Media,
            _ => null,
        };
        if (on is null || body!.Count is < 1)
        {
            await BadRequestAsync(ctx, "hold takes on (request, accepted or media) and a count of 1 or more.");
            return;
        }
        state.Hold.Arm(on.Value, body.Count ?? 1);
        await HttpResponses.WriteObjectAsync(ctx, StatusCodes.Status200OK, state.Hold.Snapshot(), EmulatorJson.Default.HoldState);
    }

    /// <summary>GET /_emulator/hold?waitMs=N: the gate's state, once it holds or after N ms (default 0, at most 10000).</summary>
    private async Task WaitHoldAsync(HttpContext ctx)
    {
        int waitMs = int.TryParse(ctx.Request.Query["waitMs"], out int given) ? Math.Clamp(given, 0, 10000) : 0;
        HoldState snapshot = await state.Hold.WaitAsync(TimeSpan.FromMilliseconds(waitMs), ctx.RequestAborted);
        await HttpResponses.WriteObjectAsync(ctx, StatusCodes.Status200OK, snapshot, EmulatorJson.Default.HoldState);
    }

    /// <summary>DELETE /_emulator/hold: drops every held request unanswered and disarms.</summary>
    private Task ReleaseHoldAsync(HttpContext ctx)
    {
        state.Hold.Release();
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private Task WriteConfigAsync(HttpContext ctx)
    {
        (TaskSpec template, List<FaultSpec> faults) = state.Submissions.Snapshot();
        var config = new ConfigBody
        {
            LatencyMs = state.LatencyMs,
            Submission = template,
            SubmissionFaults = faults,
            SubmissionFaultsRemaining = faults.Count,
            ConcurrencyLimit = state.Account.Limit ?? 0,
            FailPrompts = state.Outcomes.FailPrompts.ToList(),
            ExpirePrompts = state.Outcomes.ExpirePrompts.ToList(),
            CreatedFaultPercent = state.Outcomes.CreatedFaultPercent,
            ConcurrencyRefusals = state.Account.Refused,
            SubmissionsAccepted = state.Account.Accepted,
            TasksInFlight = state.Account.Running,
            Media = state.MediaHost.Snapshot(),
            ApiKeys = state.AddedKeys.ToList(),
        };
        return HttpResponses.WriteObjectAsync(ctx, StatusCodes.Status200OK, config, EmulatorJson.Default.ConfigBody);
    }

    private static Task BadRequestAsync(HttpContext ctx, string message) =>
        HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status400BadRequest, ErrorBodies.Zai("400", message));
}
