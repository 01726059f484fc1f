namespace ZAi.Emulator;

/// <summary>
/// How the media host behaves for every file (<c>"media"</c> of <c>POST /_emulator/config</c>): a
/// bandwidth limit per response (so per HTTP/1.1 connection, like nginx's <c>limit_rate</c>), a delay
/// before each media response (time to first byte), and whether byte ranges are offered at all.
/// </summary>
/// <example><code>{"media": {"bytesPerSecond": 2097152, "latencyMs": 50, "ranges": false}}</code></example>
public sealed class MediaHostConfig
{
    /// <summary>Bytes per second each media response is paced to; 0 for no limit (the start-up default).</summary>
    public long? BytesPerSecond { get; set; }

    /// <summary>Milliseconds before each media response, on top of <c>latencyMs</c>; 0 by default.</summary>
    public int? LatencyMs { get; set; }

    /// <summary>False: no Accept-Ranges, every Range header ignored (200 with the whole file). True by default.</summary>
    public bool? Ranges { get; set; }
}

/// <summary>The live media host settings; thread-safe, restored by reset.</summary>
internal sealed class MediaHostSettings
{
    private long _bytesPerSecond;
    private int _latencyMs;
    private int _noRanges;

    public long BytesPerSecond => Interlocked.Read(ref _bytesPerSecond);

    public int LatencyMs => Volatile.Read(ref _latencyMs);

    public bool Ranges => Volatile.Read(ref _noRanges) == 0;

    /// <summary>Checks then applies the set properties; throws <see cref="ArgumentException"/> and changes nothing on a bad value.</summary>
    public void Apply(MediaHostConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.BytesPerSecond is < 0) throw new ArgumentException("media.bytesPerSecond must not be negative (0 for no limit).");
        if (config.LatencyMs is < 0) throw new ArgumentException("media.latencyMs must not be negative.");
        if (config.BytesPerSecond is long rate) Interlocked.Exchange(ref _bytesPerSecond, rate);
        if (config.LatencyMs is int latency) Volatile.Write(ref _latencyMs, latency);
        if (config.Ranges is bool ranges) Volatile.Write(ref _noRanges, ranges ? 0 : 1);
    }

    public MediaHostConfig Snapshot() => new() { BytesPerSecond = BytesPerSecond, LatencyMs = LatencyMs, Ranges = Ranges };

    public void Reset() => Apply(new MediaHostConfig { BytesPerSecond = 0, LatencyMs = 0, Ranges = true });

    public Task DelayAsync(CancellationToken ct)
    {
        int latency = LatencyMs;
        return latency > 0 ? Task.Delay(latency, ct) : Task.CompletedTask;
    }
}
