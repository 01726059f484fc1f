namespace ZAi.HelpBuilder;

/// <summary>One problem found in a markdown file. Line is 1-based, or 0 when it concerns the whole file.</summary>
internal sealed record Diagnostic(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: error: {Message}" : $"{File}: error: {Message}";
}

/// <summary>Collects the problems of one file, so that a run reports all of them at once.</summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<Diagnostic> _items = [];

    public string File { get; } = file;

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Count > 0;

    /// <param name="line">The 0-based line from Markdig, or -1 when the problem concerns the whole file.</param>
    public void Error(int line, string message) => _items.Add(new Diagnostic(File, line < 0 ? 0 : line + 1, message));
}
