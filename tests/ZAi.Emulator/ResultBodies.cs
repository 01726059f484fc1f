using System.Buffers;
using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>Builds the normal (non-fault) async-result bodies of a task.</summary>
internal static class ResultBodies
{
    public static byte[] Build(EmulatedTask task, NormalStatus status, string mediaRoot)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            JsonElement? phaseFields = status.Finished ? task.Shape.FinishedFields : task.Shape.ProcessingFields;
            var body = new BodyWriter(writer, task.Shape, phaseFields);
            writer.WriteStartObject();
            if (status.Finished && status.Status == "SUCCESS" && task.Kind == TaskKind.Chat)
            {
                WriteChatSuccess(body, task);
            }
            else
            {
                body.String("model", task.Model);
                body.String("task_status", status.Status);
                if (status.Finished && status.Status == "SUCCESS")
                {
                    string mediaBase = mediaRoot + task.EscapedId + "/";
                    if (task.Kind == TaskKind.Video) WriteVideoResult(body, task, mediaBase);
                    else WriteImageResult(body, task, mediaBase);
                }
                if (status.Finished && task.Kind == TaskKind.Video && task.Shape.OptimizedPrompt is { } optimized) body.String("optimized_prompt", optimized);
                body.String("request_id", task.RequestId);
                if (task.Shape.IncludeIdField) body.String("id", task.Id);
            }
            // Phase fields first, so extraFields (every body) still override them.
            if (phaseFields is { } phase)
            {
                foreach (JsonProperty property in phase.EnumerateObject())
                {
                    if (!task.Shape.ExtraFieldNames.Contains(property.Name)) property.WriteTo(writer);
                }
            }
            if (task.Shape.ExtraFields is { } extra)
            {
                foreach (JsonProperty property in extra.EnumerateObject())
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteChatSuccess(BodyWriter body, EmulatedTask task)
    {
        Utf8JsonWriter writer = body.Writer;
        string prompt = ChatRequestRules.LastUserText(task.SubmittedBody);
        if (task.Shape.IncludeIdField) body.String("id", task.Id);
        body.String("request_id", task.RequestId);
        body.String("model", task.Model);
        body.String("task_status", "SUCCESS");
        if (body.Wanted("choices"))
        {
            if (task.Shape.ResultAsObject) writer.WritePropertyName("choices");
            else writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteString("finish_reason", "stop");
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", task.SubmittedBody is null ? "Hello from the emulator" : "Echo: " + prompt);
            writer.WriteString("reasoning_content", "The user wrote " + prompt.Length + " characters; I repeat them.");
            writer.WriteEndObject();
            writer.WriteEndObject();
            if (!task.Shape.ResultAsObject) writer.WriteEndArray();
        }
        if (body.Wanted("usage"))
        {
            writer.WriteStartObject("usage");
            // One token per word, as a stand-in for the real tokenizer: enough to tell prompts apart.
            int promptTokens = Math.Max(1, prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            writer.WriteNumber("prompt_tokens", task.SubmittedBody is null ? 5 : promptTokens);
            writer.WriteNumber("completion_tokens", task.SubmittedBody is null ? 5 : promptTokens + 1);
            writer.WriteNumber("total_tokens", task.SubmittedBody is null ? 10 : 2 * promptTokens + 1);
            writer.WriteEndObject();
        }
    }

    private static void WriteVideoResult(BodyWriter body, EmulatedTask task, string mediaBase)
    {
        if (!body.Wanted("video_result")) return;
        Utf8JsonWriter writer = body.Writer;
        // resultShape 'object': the first item alone, in place of the list.
        int count = task.Shape.ResultAsObject ? Math.Min(1, task.Shape.VideoCount) : task.Shape.VideoCount;
        if (task.Shape.ResultAsObject && count == 0) { writer.WriteNull("video_result"); return; }
        if (task.Shape.ResultAsObject) writer.WritePropertyName("video_result");
        else writer.WriteStartArray("video_result");
        for (int i = 0; i < count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("url", mediaBase + MediaFiles.Video(i));
            writer.WriteString("cover_image_url", mediaBase + MediaFiles.Cover(i, task.Shape.CoverExtension));
            writer.WriteEndObject();
        }
        if (!task.Shape.ResultAsObject) writer.WriteEndArray();
    }

    private static void WriteImageResult(BodyWriter body, EmulatedTask task, string mediaBase)
    {
        if (!body.Wanted("image_result")) return;
        Utf8JsonWriter writer = body.Writer;
        Span<byte> sample = stackalloc byte[16];
        int count = task.Shape.ResultAsObject ? Math.Min(1, task.Shape.ImageCount) : task.Shape.ImageCount;
        if (task.Shape.ResultAsObject && count == 0) { writer.WriteNull("image_result"); return; }
        if (task.Shape.ResultAsObject) writer.WritePropertyName("image_result");
        else writer.WriteStartArray("image_result");
        for (int i = 0; i < count; i++)
        {
            string file = MediaFiles.Image(i);
            writer.WriteStartObject();
            writer.WriteString("url", mediaBase + file);
            if (task.Shape.ImageB64)
            {
                GeneratedContent.Fill(task.Id, file, 0, sample);
                writer.WriteBase64String("b64_json", sample);
                writer.WriteString("revised_prompt", "a revised prompt");
            }
            writer.WriteEndObject();
        }
        if (!task.Shape.ResultAsObject) writer.WriteEndArray();
    }

    /// <summary>Writes base fields unless extraFields or the phase's fields override them (those are written last).</summary>
    private readonly struct BodyWriter(Utf8JsonWriter writer, TaskShape shape, JsonElement? phaseFields)
    {
        public Utf8JsonWriter Writer { get; } = writer;

        public bool Wanted(string name) => !shape.ExtraFieldNames.Contains(name) && !(phaseFields is { } phase && phase.TryGetProperty(name, out _));

        public void String(string name, string value)
        {
            if (Wanted(name)) Writer.WriteString(name, value);
        }
    }
}
