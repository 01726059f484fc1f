namespace ZAi.Emulator;

internal enum FaultKind { Status, BusinessIn200, Html, Malformed, Slow, Drop, ShortBody, WrongLength, Drip, NoRange, Stall, RangeNotSatisfiable, ForeignRange, Endless, HugeLength, EchoKey, StatusAfterCreate, NewVersion, WrongRange }

internal enum ErrorEnvelope { Zai, Spec, ErrorString, Msg, Message, None }

/// <summary>A validated <see cref="FaultSpec"/> with its defaults applied.</summary>
internal sealed record Fault(
    FaultKind Kind,
    int Status,
    string? RetryAfter,
    ErrorEnvelope Envelope,
    string Code,
    string Message,
    int DelayMs,
    long AfterBytes,
    long BytesPerSecond,
    string? ContentType = null)
{
    private static readonly FaultKind[] ApiKinds =
        [FaultKind.Status, FaultKind.BusinessIn200, FaultKind.Html, FaultKind.Malformed, FaultKind.Slow, FaultKind.Drop, FaultKind.EchoKey, FaultKind.StatusAfterCreate];

    private static readonly FaultKind[] MediaKinds =
        [FaultKind.Status, FaultKind.Drop, FaultKind.ShortBody, FaultKind.WrongLength, FaultKind.Drip, FaultKind.NoRange, FaultKind.Slow,
         FaultKind.Html, FaultKind.Stall, FaultKind.RangeNotSatisfiable, FaultKind.ForeignRange, FaultKind.Endless, FaultKind.HugeLength,
         FaultKind.NewVersion, FaultKind.WrongRange];

    /// <summary>Validates a spec; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static Fault From(FaultSpec spec, bool forMedia)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!TryParseName(spec.Type, out FaultKind kind))
        {
            throw new ArgumentException($"Unknown fault type '{spec.Type}'.");
        }
        if (Array.IndexOf(forMedia ? MediaKinds : ApiKinds, kind) < 0)
        {
            throw new ArgumentException($"Fault type '{spec.Type}' is not valid for {(forMedia ? "media" : "the API")}.");
        }
        int status = spec.Status ?? kind switch
        {
            FaultKind.Status => 500,
            FaultKind.Html => forMedia ? 200 : 502,
            FaultKind.EchoKey => 400,
            FaultKind.StatusAfterCreate => 502,
            _ => 200,
        };
        if (status is < 100 or > 999)
        {
            throw new ArgumentException($"Invalid status {status}.");
        }
        ErrorEnvelope envelope = ErrorEnvelope.Zai;
        if (spec.Envelope is not null && !TryParseName(spec.Envelope, out envelope))
        {
            throw new ArgumentException($"Unknown envelope '{spec.Envelope}'.");
        }
        string code = spec.Code ?? (kind == FaultKind.BusinessIn200 ? "1305" : DefaultCode(status));
        return new Fault(
            kind,
            status,
            spec.RetryAfter,
            envelope,
            code,
            spec.Message ?? "Emulated error",
            Math.Max(0, spec.DelayMs ?? 1000),
            Math.Max(0, spec.AfterBytes ?? 10),
            Math.Max(1, spec.BytesPerSecond ?? 1024),
            spec.ContentType);
    }

    private static bool TryParseName<T>(string? name, out T value)
        where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static string DefaultCode(int status) => status switch
    {
        429 => "1302",
        401 => "1002",
        400 => "1214",
        500 => "500",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
