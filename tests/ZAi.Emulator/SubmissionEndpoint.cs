using System.Buffers;
using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>
/// <c>POST /api/paas/v4/videos/generations</c> and <c>POST /api/paas/v4/async/images/generations</c>:
/// validate the body like the real API, refuse a request_id already accepted (1231), create the task
/// from the submission template and answer <c>{"model","id","request_id","task_status":"PROCESSING"}</c>.
/// One queued submission fault is consumed per POST: status, businessIn200, html and malformed
/// replace the answer and create nothing; slow, drop and statusAfterCreate alter the answer of an accepted
/// submission (whose task exists and whose request_id is recorded) and leave refusals unchanged. Without a
/// queued fault, <see cref="SubmissionOutcomes"/> may fail the task by its prompt or lose its answer.
/// </summary>
internal sealed class SubmissionEndpoint(EmulatorState state)
{
    public const string VideoPath = "/api/paas/v4/videos/generations";

    public const string ImagePath = "/api/paas/v4/async/images/generations";

    public const string ChatPath = "/api/paas/v4/async/chat/completions";

    /// <summary>The kind of task a raw path submits, or null when it is not a submission path.</summary>
    public static TaskKind? TryGetKind(string rawPath) => rawPath switch
    {
        VideoPath => TaskKind.Video,
        ImagePath => TaskKind.Image,
        ChatPath => TaskKind.Chat,
        _ => null,
    };

    public async Task HandleAsync(HttpContext ctx, EmulatorRequestFeature request, TaskKind kind)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "POST";
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status405MethodNotAllowed, ErrorBodies.MethodNotAllowed);
            return;
        }
        Fault? fault = state.Submissions.TakeFault();
        if (fault is not null && await FaultResponses.TryWriteRejectionAsync(ctx, fault)) return;

        EmulatedTask? task;
        try
        {
            task = Accept(kind, request);
        }
        catch (SubmissionRejectedException e)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status400BadRequest, ErrorBodies.Zai(e.Code, e.Message));
            return;
        }
        if (task is null)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status429TooManyRequests, ErrorBodies.Zai("1302", AccountLimit.Message));
            return;
        }
        request.TaskId = task.Id;
        state.Hold.Happened(HoldEvent.Accepted);
        byte[] body = AcceptedBody(task);
        fault ??= state.Outcomes.AfterCreation();
        await FaultResponses.WriteAfterCreationAsync(ctx, body, fault);
    }

    /// <summary>
    /// Validates, records the request_id and creates the task; throws when the submission is refused,
    /// returns null when the account has no room for another task in flight (nothing is created).
    /// </summary>
    private EmulatedTask? Accept(TaskKind kind, EmulatorRequestFeature request)
    {
        ValidSubmission submission = SubmissionValidator.Validate(kind, request.Body);
        string requestId = submission.RequestId ?? NewId();
        string taskId = NewId();
        if (!state.RequestIds.TryAdd(request.Account, requestId, taskId))
        {
            throw new SubmissionRejectedException(SubmissionRejectedException.DuplicateRequest, "You already have a request: " + requestId);
        }
        try
        {
            TaskSpec spec = state.Submissions.SpecFor(taskId, kind, submission.Model, requestId);
            if (state.Outcomes.Fails(request.Body)) spec.Outcome = "FAIL";
            if (state.Outcomes.Expires(request.Body)) spec.FinishedMinutesAgo = 2880;
            EmulatedTask? task = state.Account.TryAdmit(() => TaskFactory.Create(spec, request.BodyText));
            if (task is null)
            {
                state.RequestIds.Remove(request.Account, requestId);
                return null;
            }
            if (request.Account is not null) state.TaskOwners[task.Id] = request.Account;
            state.Tasks.Put(task);
            return task;
        }
        catch
        {
            state.RequestIds.Remove(request.Account, requestId);
            throw;
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>The real API's answer to an accepted submission.</summary>
    private static byte[] AcceptedBody(EmulatedTask task)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model", task.Model);
            writer.WriteString("id", task.Id);
            writer.WriteString("request_id", task.RequestId);
            writer.WriteString("task_status", "PROCESSING");
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
