using System.Buffers;
using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>
/// The agents API's video-effects agent: <c>POST /api/v1/agents</c> with <c>{agent_id: vidu_template_agent, messages:
/// [{role: user, content: [{type: image_url, image_url}, {type: text, text}]}], custom_variables: {template}}</c>
/// answers <c>{status: pending, agent_id, async_id}</c> (or <c>status: failed</c> with an error for an unknown template),
/// under the account's limit of tasks in flight (429/1302 when full, nothing created); <c>POST
/// /api/v1/agents/async-result</c> with <c>{agent_id, async_id}</c> answers with lower-case statuses (pending, success,
/// failed) and the video at <c>choices[0].message[0].content[0].video_url</c>. Agent tasks are not served by
/// <c>/paas/v4/async-result</c>. Tasks follow the submission template (processingMs, outcome, faults, mediaSize).
/// The submission faults apply as on the other submission endpoints: status, businessIn200, html and malformed
/// create nothing; slow, drop and statusAfterCreate (and createdFaultPercent) answer late, cut off or with a 5xx
/// AFTER the task was created, as a gateway does, and the agents API takes no request_id to recognise a resend.
/// </summary>
internal sealed class AgentsEndpoint(EmulatorState state)
{
    public const string SubmitPath = "/api/v1/agents";

    public const string ResultPath = "/api/v1/agents/async-result";

    public const string AgentId = "vidu_template_agent";

    public static readonly string[] Templates = ["french_kiss", "bodyshake", "sexy_me"];

    public static bool Owns(string rawPath) => rawPath is SubmitPath or ResultPath;

    public async Task HandleAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "POST";
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status405MethodNotAllowed, ErrorBodies.MethodNotAllowed);
            return;
        }
        try
        {
            if (request.RawPath == SubmitPath) await SubmitAsync(ctx, request);
            else await ResultAsync(ctx, request);
        }
        catch (SubmissionRejectedException e)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status400BadRequest, ErrorBodies.Zai(e.Code, e.Message));
        }
    }

    private async Task SubmitAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        Fault? fault = state.Submissions.TakeFault();
        if (fault is not null && await FaultResponses.TryWriteRejectionAsync(ctx, fault)) return;
        SubmissionFields fields = SubmissionFields.Parse(request.Body);
        CheckAgent(fields);
        CheckImage(fields);
        string? template = fields.Get("custom_variables") is { ValueKind: JsonValueKind.Object } variables
            && variables.TryGetProperty("template", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (template is null || Array.IndexOf(Templates, template) < 0)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status200OK, Answer("failed", null, null, ("1214", $"Unknown template '{template}'; this agent offers {SubmissionFields.Quoted(Templates)}.")));
            return;
        }
        string taskId = Guid.NewGuid().ToString("N");
        EmulatedTask? task = state.Account.TryAdmit(() => TaskFactory.Create(state.Submissions.SpecFor(taskId, TaskKind.Agent, AgentId, Guid.NewGuid().ToString("N")), request.BodyText));
        if (task is null)
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status429TooManyRequests, ErrorBodies.Zai("1302", AccountLimit.Message));
            return;
        }
        if (request.Account is not null) state.TaskOwners[task.Id] = request.Account;
        state.Tasks.Put(task);
        request.TaskId = task.Id;
        byte[] body = Answer("pending", task, null, null);
        // Like a gateway in front of the real API: the task exists (and is billed), then the answer is late, cut off or a 5xx.
        fault ??= state.Outcomes.AfterCreation();
        await FaultResponses.WriteAfterCreationAsync(ctx, body, fault);
    }

    private async Task ResultAsync(HttpContext ctx, EmulatorRequestFeature request)
    {
        SubmissionFields fields = SubmissionFields.Parse(request.Body);
        CheckAgent(fields);
        string id = fields.NonEmptyString("async_id") ?? throw SubmissionRejectedException.Field("async_id is required.");
        request.TaskId = id;
        EmulatedTask? task = state.Tasks.Find(id);
        if (task is null || task.Kind != TaskKind.Agent || !state.Owns(request.Account, id))
        {
            await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status404NotFound, ErrorBodies.TaskNotFound(id));
            return;
        }
        Fault? fault = task.BeginApiRequest();
        if (fault is not null && await FaultResponses.TryWriteRejectionAsync(ctx, fault)) return;
        NormalStatus status = task.ServeNormal();
        string shown = !status.Finished ? "pending" : status.Status == "SUCCESS" ? "success" : status.Status == "FAIL" ? "failed" : status.Status.ToLowerInvariant();
        string? video = shown == "success" ? state.MediaRoot + task.EscapedId + "/" + MediaFiles.Video(0) : null;
        (string, string)? error = shown == "failed" ? ("1301", "The effect could not be applied to this image.") : null;
        await HttpResponses.WriteJsonAsync(ctx, StatusCodes.Status200OK, Answer(shown, task, video, error));
    }

    private static void CheckAgent(SubmissionFields fields)
    {
        string? agent = fields.NonEmptyString("agent_id");
        if (agent != AgentId) throw new SubmissionRejectedException(SubmissionRejectedException.UnknownModel, $"Unknown agent_id '{agent}'; this emulator serves '{AgentId}'.");
    }

    private static void CheckImage(SubmissionFields fields)
    {
        if (fields.Get("messages") is { ValueKind: JsonValueKind.Array } messages)
        {
            foreach (JsonElement message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out JsonElement content) || content.ValueKind != JsonValueKind.Array) continue;
                foreach (JsonElement part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("image_url", out JsonElement url) && url.ValueKind == JsonValueKind.String && url.GetString()!.Length > 0) return;
                }
            }
        }
        throw SubmissionRejectedException.Field("messages must hold one user message whose content has an {type: image_url, image_url} part.");
    }

    private static byte[] Answer(string status, EmulatedTask? task, string? videoUrl, (string Code, string Message)? error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("status", status);
            writer.WriteString("agent_id", AgentId);
            if (task is not null) writer.WriteString("async_id", task.Id);
            if (videoUrl is not null)
            {
                writer.WriteStartArray("choices");
                writer.WriteStartObject();
                writer.WriteNumber("index", 0);
                writer.WriteString("finish_reason", "stop");
                writer.WriteStartArray("message");
                writer.WriteStartObject();
                writer.WriteString("role", "assistant");
                writer.WriteStartArray("content");
                writer.WriteStartObject();
                writer.WriteString("type", "video_url");
                writer.WriteString("video_url", videoUrl);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }
            if (error is { } e)
            {
                writer.WriteStartObject("error");
                writer.WriteString("code", e.Code);
                writer.WriteString("message", e.Message);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
