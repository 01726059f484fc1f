using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace ZAi.Emulator;

/// <summary>The error bodies the emulator sends, in every envelope the real API and its proxies use.</summary>
internal static class ErrorBodies
{
    public static readonly byte[] MissingAuth = Zai("1001", "Authentication parameter not received in Header");

    public static readonly byte[] InvalidAuth = Zai("1002", "Invalid Authentication Token");

    public static readonly byte[] NotFound = Zai("404", "Not Found");

    public static readonly byte[] MethodNotAllowed = Zai("405", "Method Not Allowed");

    public static readonly byte[] BodyTooLarge = Zai("413", $"Request body is larger than {RequestBodyBuffer.MaxBytes} bytes (16 MiB).");

    /// <summary>A JSON body cut off in the middle.</summary>
    public static readonly byte[] Malformed = Encoding.UTF8.GetBytes("{\"model\":\"cogvideox-3\",\"task_status\":");

    public static byte[] TaskNotFound(string id) => Zai("1214", "Task does not exist: " + id);

    /// <summary><c>{"error":{"code":"&lt;code&gt;","message":"..."}}</c> (code as a string).</summary>
    public static byte[] Zai(string code, string message) => Envelope(ErrorEnvelope.Zai, code, message);

    /// <summary>The body of a status or businessIn200 fault; empty for envelope none.</summary>
    public static byte[] Envelope(ErrorEnvelope envelope, string code, string message)
    {
        if (envelope == ErrorEnvelope.None) return [];
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            writer.WriteStartObject();
            switch (envelope)
            {
                case ErrorEnvelope.Zai:
                    writer.WriteStartObject("error");
                    writer.WriteString("code", code);
                    writer.WriteString("message", message);
                    writer.WriteEndObject();
                    break;
                case ErrorEnvelope.Spec:
                    WriteNumericCode(writer, code);
                    writer.WriteString("message", message);
                    break;
                case ErrorEnvelope.ErrorString:
                    writer.WriteString("error", message);
                    WriteNumericCode(writer, code);
                    break;
                case ErrorEnvelope.Msg:
                    writer.WriteString("msg", message);
                    WriteNumericCode(writer, code);
                    break;
                case ErrorEnvelope.Message:
                    writer.WriteString("message", message);
                    writer.WriteString("code", code);
                    break;
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What an object store answers for a signed link past its expiry.</summary>
    public static byte[] ExpiredLink() => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>");

    /// <summary>An nginx-style HTML error page.</summary>
    public static byte[] Html(int status)
    {
        string title = $"{status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();
        return Encoding.UTF8.GetBytes($"<html><head><title>{title}</title></head><body><h1>{title}</h1><hr>nginx</body></html>");
    }

    /// <summary>Writes the code as a JSON number when it is one, else as a string.</summary>
    private static void WriteNumericCode(Utf8JsonWriter writer, string code)
    {
        if (long.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            writer.WriteNumber("code", number);
        }
        else
        {
            writer.WriteString("code", code);
        }
    }
}
