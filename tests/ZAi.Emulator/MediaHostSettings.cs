namespace ZAi.Emulator;

/// <summary>
/// How the media host behaves for every file (<c>"media"</c> of <c>POST /_emulator/config</c>): a
/// bandwidth limit per response (so per HTTP/1.1 connection, like nginx's <c>limit_rate</c>), a delay
/// before each media response (time to first byte), whether byte ranges are offered at all, which
/// validators the answers carry and whether If-Range is honoured (hosts that are not well-behaved), and
/// one connection slower than the others.
/// </summary>
/// <example><code>{"media": {"bytesPerSecond": 2097152, "latencyMs": 50, "ranges": false}}</code></example>
/// <example><code>{"media": {"etag": "none", "ignoreIfRange": true, "slowConnection": 2, "slowBytesPerSecond": 32768}}</code></example>
public sealed class MediaHostConfig
{
    /// <summary>Bytes per second each media response is paced to; 0 for no limit (the start-up default).</summary>
    public long? BytesPerSecond { get; set; }

    /// <summary>Milliseconds before each media response, on top of <c>latencyMs</c>; 0 by default.</summary>
    public int? LatencyMs { get; set; }

    /// <summary>False: no Accept-Ranges, every Range header ignored (200 with the whole file). True by default.</summary>
    public bool? Ranges { get; set; }

    /// <summary>The ETag each answer carries: <c>strong</c> (the default), <c>weak</c> (<c>W/"…"</c>) or <c>none</c>.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("etag")]
    public string? ETag { get; set; }

    /// <summary>
    /// The Last-Modified each answer carries: <c>past</c> (the default: a fixed date long ago, one day later per
    /// version of the file), <c>now</c> (the second of the answer itself, as for a file written just now: weak by
    /// RFC 9110 8.8.2.2) or <c>none</c>.
    /// </summary>
    public string? LastModified { get; set; }

    /// <summary>True: a Range is served whatever If-Range names, even after the file changed (a broken cache). False by default.</summary>
    public bool? IgnoreIfRange { get; set; }

    /// <summary>The n-th connection (from 1) to reach the media host after this is set is paced at <see cref="SlowBytesPerSecond"/> for every answer it carries; 0 for none (the default).</summary>
    public int? SlowConnection { get; set; }

    /// <summary>Bytes per second of the slow connection (default 16384).</summary>
    public long? SlowBytesPerSecond { get; set; }
}

/// <summary>The live media host settings; thread-safe, restored by reset.</summary>
internal sealed class MediaHostSettings
{
    private long _bytesPerSecond;
    private int _latencyMs;
    private int _noRanges;
    private volatile string _etag = "strong";
    private volatile string _lastModified = "past";
    private int _ignoreIfRange;
    private int _slowConnection;
    private long _slowBytesPerSecond = 16384;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _connections = new();
    private int _connectionsSeen;

    public long BytesPerSecond => Interlocked.Read(ref _bytesPerSecond);

    public int LatencyMs => Volatile.Read(ref _latencyMs);

    public bool Ranges => Volatile.Read(ref _noRanges) == 0;

    public string ETag => _etag;

    public string LastModified => _lastModified;

    public bool IgnoreIfRange => Volatile.Read(ref _ignoreIfRange) != 0;

    /// <summary>The pace of answers on connection <paramref name="connectionId"/>: the slow connection's, else the host's.</summary>
    public long BytesPerSecondOn(string connectionId)
    {
        int slow = Volatile.Read(ref _slowConnection);
        if (slow <= 0) return BytesPerSecond;
        int ordinal = _connections.GetOrAdd(connectionId, _ => Interlocked.Increment(ref _connectionsSeen));
        return ordinal == slow ? Interlocked.Read(ref _slowBytesPerSecond) : BytesPerSecond;
    }

    /// <summary>Checks then applies the set properties; throws <see cref="ArgumentException"/> and changes nothing on a bad value.</summary>
    public void Apply(MediaHostConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.BytesPerSecond is < 0) throw new ArgumentException("media.bytesPerSecond must not be negative (0 for no limit).");
        if (config.LatencyMs is < 0) throw new ArgumentException("media.latencyMs must not be negative.");
        if (config.ETag is not (null or "strong" or "weak" or "none")) throw new ArgumentException("media.etag must be strong, weak or none.");
        if (config.LastModified is not (null or "past" or "now" or "none")) throw new ArgumentException("media.lastModified must be past, now or none.");
        if (config.SlowConnection is < 0) throw new ArgumentException("media.slowConnection must not be negative (0 for none).");
        if (config.SlowBytesPerSecond is < 1) throw new ArgumentException("media.slowBytesPerSecond must be at least 1.");
        if (config.BytesPerSecond is long rate) Interlocked.Exchange(ref _bytesPerSecond, rate);
        if (config.LatencyMs is int latency) Volatile.Write(ref _latencyMs, latency);
        if (config.Ranges is bool ranges) Volatile.Write(ref _noRanges, ranges ? 0 : 1);
        if (config.ETag is string etag) _etag = etag;
        if (config.LastModified is string lastModified) _lastModified = lastModified;
        if (config.IgnoreIfRange is bool ignore) Volatile.Write(ref _ignoreIfRange, ignore ? 1 : 0);
        if (config.SlowBytesPerSecond is long slowRate) Interlocked.Exchange(ref _slowBytesPerSecond, slowRate);
        if (config.SlowConnection is int slow)
        {
            // Connections are counted afresh from here, so "the second connection" means the second one after this call.
            _connections.Clear();
            Volatile.Write(ref _connectionsSeen, 0);
            Volatile.Write(ref _slowConnection, slow);
        }
    }

    public MediaHostConfig Snapshot() => new()
    {
        BytesPerSecond = BytesPerSecond,
        LatencyMs = LatencyMs,
        Ranges = Ranges,
        ETag = ETag,
        LastModified = LastModified,
        IgnoreIfRange = IgnoreIfRange,
        SlowConnection = Volatile.Read(ref _slowConnection),
        SlowBytesPerSecond = Interlocked.Read(ref _slowBytesPerSecond),
    };

    public void Reset() => Apply(new MediaHostConfig
    {
        BytesPerSecond = 0, LatencyMs = 0, Ranges = true, ETag = "strong", LastModified = "past", IgnoreIfRange = false, SlowConnection = 0, SlowBytesPerSecond = 16384,
    });

    public Task DelayAsync(CancellationToken ct)
    {
        int latency = LatencyMs;
        return latency > 0 ? Task.Delay(latency, ct) : Task.CompletedTask;
    }
}
