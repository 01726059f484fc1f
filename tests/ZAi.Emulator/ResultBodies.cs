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
            var body = new BodyWriter(writer, task.Shape);
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
                body.String("request_id", task.RequestId);
                if (task.Shape.IncludeIdField) body.String("id", task.Id);
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
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteString("finish_reason", "stop");
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", task.SubmittedBody is null ? "Hello from the emulator" : "Echo: " + prompt);
            writer.WriteString("reasoning_content", "The user wrote " + prompt.Length + " characters; I repeat them.");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
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
        writer.WriteStartArray("video_result");
        for (int i = 0; i < task.Shape.VideoCount; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("url", mediaBase + MediaFiles.Video(i));
            writer.WriteString("cover_image_url", mediaBase + MediaFiles.Cover(i, task.Shape.CoverExtension));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteImageResult(BodyWriter body, EmulatedTask task, string mediaBase)
    {
        if (!body.Wanted("image_result")) return;
        Utf8JsonWriter writer = body.Writer;
        Span<byte> sample = stackalloc byte[16];
        writer.WriteStartArray("image_result");
        for (int i = 0; i < task.Shape.ImageCount; i++)
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
        writer.WriteEndArray();
    }

    /// <summary>Writes base fields unless extraFields overrides them (extra fields are written last).</summary>
    private readonly struct BodyWriter(Utf8JsonWriter writer, TaskShape shape)
    {
        public Utf8JsonWriter Writer { get; } = writer;

        public bool Wanted(string name) => !shape.ExtraFieldNames.Contains(name);

        public void String(string name, string value)
        {
            if (Wanted(name)) Writer.WriteString(name, value);
        }
    }
}
