using System.Text.Json;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Tests;

/// <summary>AsyncResult objects from small JSON bodies, as the API would send them.</summary>
internal static class TestResults
{
    public static AsyncResult Parse(string json, string requestedId = "requested-id")
    {
        using var document = JsonDocument.Parse(json);
        return AsyncResultParser.Parse(document.RootElement, requestedId, DateTime.UtcNow);
    }
}
