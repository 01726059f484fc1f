namespace ZAi.Emulator;

/// <summary>Start-up settings of an <see cref="EmulatorServer"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>TCP port to listen on; 0 picks a free port.</summary>
    public int Port { get; set; } = 0;

    /// <summary>API keys accepted in <c>Authorization: Bearer</c> on <c>/api/*</c>.</summary>
    public IList<string> ApiKeys { get; } = new List<string> { "test-key" };

    /// <summary>A PKCS#12 file (no password): the emulator serves https with it instead of http.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Delay in milliseconds added before every API and media response.</summary>
    public int LatencyMs { get; set; } = 0;
}
