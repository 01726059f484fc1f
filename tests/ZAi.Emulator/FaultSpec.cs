using System.Text.Json.Serialization;

namespace ZAi.Emulator;

/// <summary>
/// One injected fault. API faults: status, businessIn200, html, malformed, slow, drop, echoKey.
/// Media faults: status, drop, shortBody, wrongLength, drip, noRange, slow, html, stall,
/// rangeNotSatisfiable, foreignRange, endless, hugeLength, newVersion, wrongRange.
/// </summary>
/// <remarks>
/// <para>Where faults are queued: <see cref="TaskSpec.Faults"/> (one per async-result request of that
/// task), <see cref="TaskSpec.MediaFaults"/> (one per request of a media file) and the submission
/// queue (<c>submissionFaults</c> of <c>POST /_emulator/config</c>,
/// <see cref="EmulatorServer.ConfigureSubmissions"/>: one per POST to either submission endpoint,
/// after auth and before validation).</para>
/// <para>API faults: <c>status</c> answers <see cref="Status"/> (default 500) with an error body in
/// <see cref="Envelope"/>; <c>businessIn200</c> the same with HTTP 200 (default code 1305);
/// <c>html</c> an nginx-style HTML page (default 502); <c>malformed</c> a cut-off JSON body (default
/// status 200). These four replace the answer: on async-result the task is not polled, on a
/// submission no task is created and the request_id is not recorded. <c>slow</c> waits
/// <see cref="DelayMs"/> then answers normally; <c>drop</c> declares the full normal 200 body, sends
/// only its first <see cref="AfterBytes"/> bytes and aborts the connection. On a submission these two
/// are the ambiguous failures: the body is validated and the request_id checked as usual, and when
/// the submission is accepted its task IS created and its request_id recorded before the answer is
/// delayed or cut off (so a retry with the same request_id gets 1231); a refused submission gets
/// its normal 400 answer. <c>echoKey</c> answers <see cref="Status"/> (default 400) with a zai error
/// body whose message and request_id, and an <c>X-Request-Id</c> header, carry the caller's bearer
/// key, as a hostile or broken server echoing credentials would.</para>
/// <para>Media faults beyond the basic ones, each for one request of a file: <c>html</c> answers
/// <see cref="Status"/> (default 200) with an HTML page as <see cref="ContentType"/> (default
/// text/html); <c>stall</c> sends the first <see cref="AfterBytes"/> bytes of the normal answer,
/// then waits until <see cref="EmulatorServer.ReleaseMedia"/> is called for the task (or the client
/// goes away) and sends the rest; <c>rangeNotSatisfiable</c> answers 416 with
/// <c>Content-Range: bytes */AfterBytes</c> whatever was asked; <c>foreignRange</c> answers a
/// range request with 206 and the file's ETag but the bytes and total length of another file
/// <see cref="AfterBytes"/> bytes longer (a splice); <c>endless</c> sends the file's bytes chunked,
/// with no length, and never ends; <c>hugeLength</c> announces <c>Content-Length</c> 10 GiB and
/// sends until the client goes away.</para>
/// <para><c>newVersion</c> replaces the file with a new version of the same size (another ETag, other
/// bytes: those of task id <c>id~vN</c>) before answering normally, so a download under way meets a
/// changed validator; <c>wrongRange</c> answers a range request with 206 and a truthful Content-Range
/// for a range <see cref="AfterBytes"/> bytes further on than the one asked (a 206 with the wrong range).</para>
/// </remarks>
public sealed class FaultSpec
{
    /// <summary>Fault type (case-insensitive).</summary>
    public string? Type { get; set; }

    /// <summary>HTTP status for status (default 500), html (default 502) and malformed (default 200) faults.</summary>
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

    /// <summary>Content-Type of html media faults (default text/html; charset=utf-8).</summary>
    public string? ContentType { get; set; }

    /// <summary>A copy (every property is a value or a string).</summary>
    internal FaultSpec Clone() => (FaultSpec)MemberwiseClone();
}
