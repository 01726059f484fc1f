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

    /// <summary>
    /// Body of an <c>/api/*</c> request decoded as UTF-8 (invalid bytes become U+FFFD), whole up to
    /// 16 MiB (a longer body is cut there and answered 413); null when the request had no body
    /// (no Content-Length above 0 and not chunked) and for other paths.
    /// </summary>
    public string? Body { get; init; }

    /// <summary>
    /// Id of the task the request concerned, if any: the polled task for async-result and media
    /// requests, the created task for a submission (null when the submission created none).
    /// </summary>
    public string? TaskId { get; init; }

    /// <summary>Response status code.</summary>
    public int Status { get; init; }

    /// <summary>When the request arrived (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// Place in the log, counted from 1 as requests end (answered, dropped or aborted); it keeps counting across a
    /// clear. A test orders two events by it (a file served before a task's last poll) instead of comparing clocks.
    /// </summary>
    public long Sequence { get; internal set; }

    /// <summary>
    /// Place among requests as they arrived, counted from 1 (before any is answered): orders when two requests were
    /// asked for (a file asked for before the last submission) where <see cref="Sequence"/> would also count how
    /// long each took to answer.
    /// </summary>
    public long ArrivalSequence { get; init; }
}
