namespace ZAi.Emulator;

/// <summary>Per-request facts the router works out once and the request log records.</summary>
internal sealed class EmulatorRequestFeature
{
    private byte[]? _body;
    private string? _bodyText;

    public EmulatorRequestFeature(string rawTarget)
    {
        RawTarget = rawTarget;
        string target = rawTarget;
        int scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (!target.StartsWith('/') && scheme >= 0)
        {
            // absolute-form (proxy style): keep only the path and query
            int path = target.IndexOf('/', scheme + 3);
            target = path >= 0 ? target[path..] : "/";
        }
        int query = target.IndexOf('?');
        RawPath = query >= 0 ? target[..query] : target;
    }

    /// <summary>Path and query exactly as sent.</summary>
    public string RawTarget { get; }

    /// <summary>The raw target without its query string, not decoded.</summary>
    public string RawPath { get; }

    /// <summary>The task the request concerned, set by the endpoint that resolved it.</summary>
    public string? TaskId { get; set; }

    /// <summary>
    /// The buffered body of an <c>/api/*</c> request (at most <see cref="RequestBodyBuffer.MaxBytes"/>
    /// bytes), or null when it had none; not read for other paths.
    /// </summary>
    public byte[]? Body
    {
        get => _body;
        set
        {
            _body = value;
            _bodyText = null;
        }
    }

    /// <summary>Whether the body was longer than <see cref="RequestBodyBuffer.MaxBytes"/> (only its start is in <see cref="Body"/>).</summary>
    public bool BodyTooLarge { get; set; }

    /// <summary><see cref="Body"/> decoded as UTF-8 (invalid sequences become U+FFFD), or null.</summary>
    public string? BodyText => _body is null ? null : _bodyText ??= System.Text.Encoding.UTF8.GetString(_body);

    /// <summary>The account the request was made for (its bearer key), once auth passed; null before.</summary>
    public string? Account { get; set; }

    /// <summary>Set by requests that clear the log, so that they do not reappear in it.</summary>
    public bool SkipLog { get; set; }
}
