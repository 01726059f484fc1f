namespace ZAi.Emulator;

/// <summary>
/// A submission the real API would refuse with HTTP 400 and this business code; the message names
/// the field and the rule it broke.
/// </summary>
internal sealed class SubmissionRejectedException(string code, string message) : Exception(message)
{
    /// <summary>The body is not JSON, or not a JSON object.</summary>
    public const string InvalidBody = "1210";

    /// <summary>model is missing or not one the endpoint serves.</summary>
    public const string UnknownModel = "1211";

    /// <summary>Any other field is missing, of the wrong type or out of range.</summary>
    public const string InvalidField = "1214";

    /// <summary>The request_id was already used by an accepted submission.</summary>
    public const string DuplicateRequest = "1231";

    public string Code { get; } = code;

    public static SubmissionRejectedException Field(string message) => new(InvalidField, message);
}
