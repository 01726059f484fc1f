namespace ZAi.Emulator;

/// <summary>Per-request facts the router works out once and the request log records.</summary>
internal sealed class EmulatorRequestFeature
{
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

    /// <summary>Set by requests that clear the log, so that they do not reappear in it.</summary>
    public bool SkipLog { get; set; }
}
