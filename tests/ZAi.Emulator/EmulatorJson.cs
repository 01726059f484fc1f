using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ZAi.Emulator;

/// <summary>Source-generated JSON metadata for control-plane bodies (no reflection per request).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(TaskSpec))]
[JsonSerializable(typeof(List<TaskSpec>))]
[JsonSerializable(typeof(TaskInfo))]
[JsonSerializable(typeof(List<TaskInfo>))]
[JsonSerializable(typeof(IReadOnlyList<TaskInfo>))]
[JsonSerializable(typeof(List<RequestLogEntry>))]
[JsonSerializable(typeof(ConfigBody))]
[JsonSerializable(typeof(HoldState))]
internal sealed partial class EmulatorJson : JsonSerializerContext
{
    /// <summary>Writer options for hand-written bodies: readable non-ASCII, still valid JSON.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
