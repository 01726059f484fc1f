namespace ZAi.Emulator;

/// <summary>One request the emulator received (an element of <c>GET /_emulator/requests</c>).</summary>
public sealed class RequestLogEntry
{
    /// <summary>HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Path and query exactly as sent (not decoded).</summary>
    public required string RawTarget { get; init; }

    /// <summary>Request headers by name; repeated headers are joined with ",".</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Id of the task the request concerned, if any.</summary>
    public string? TaskId { get; init; }

    /// <summary>Response status code.</summary>
    public int Status { get; init; }

    /// <summary>When the request arrived (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }
}
