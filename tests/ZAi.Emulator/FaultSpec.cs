using System.Text.Json.Serialization;

namespace ZAi.Emulator;

/// <summary>
/// One injected fault. API faults: status, businessIn200, html, malformed, slow, drop.
/// Media faults: status, drop, shortBody, wrongLength, drip, noRange, slow.
/// </summary>
public sealed class FaultSpec
{
    /// <summary>Fault type (case-insensitive).</summary>
    public string? Type { get; set; }

    /// <summary>HTTP status for status/html/malformed faults.</summary>
    public int? Status { get; set; }

    /// <summary>Verbatim Retry-After header value (seconds or an HTTP date); a JSON number is accepted too.</summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? RetryAfter { get; set; }

    /// <summary>Error body shape: zai (default), spec, errorString, msg, message, none.</summary>
    public string? Envelope { get; set; }

    /// <summary>Business error code; a JSON number is accepted too. Default chosen by status.</summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Code { get; set; }

    /// <summary>Error message (default "Emulated error").</summary>
    public string? Message { get; set; }

    /// <summary>Delay for slow faults, in milliseconds (default 1000).</summary>
    public int? DelayMs { get; set; }

    /// <summary>Bytes written before the connection is aborted by drop faults (default 10).</summary>
    public long? AfterBytes { get; set; }

    /// <summary>Throughput of drip media faults (default 1024).</summary>
    public long? BytesPerSecond { get; set; }

    /// <summary>A copy (every property is a value or a string).</summary>
    internal FaultSpec Clone() => (FaultSpec)MemberwiseClone();
}
