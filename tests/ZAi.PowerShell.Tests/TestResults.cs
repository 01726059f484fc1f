using System.Text.Json;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Tests;

/// <summary>Builds <see cref="AsyncResult"/> objects the way the client does: from a JSON body.</summary>
internal static class TestResults
{
    public static AsyncResult Status(string id, string status) =>
        Parse($$"""{"id":{{JsonSerializer.Serialize(id)}},"model":"cogvideox-3","task_status":{{JsonSerializer.Serialize(status)}}}""", id);

    public static AsyncResult Parse(string json, string requestedId = "requested-id")
    {
        using var document = JsonDocument.Parse(json);
        return AsyncResultParser.Parse(document.RootElement, requestedId, DateTime.UtcNow);
    }
}
