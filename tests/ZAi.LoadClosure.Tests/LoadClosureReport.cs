using System.Text;

namespace ZAi.LoadClosure.Tests;

/// <summary>The check's result as a table a person reads in the test output.</summary>
public static class LoadClosureReport
{
    public static string Format(TargetRuntime runtime, string folder, IReadOnlyList<ReferenceBinding> bindings)
    {
        var rows = bindings.Select(b => new[] { b.AskedBy, b.Reference.ToString(), b.ResolvesTo, b.Failure is null ? "ok" : "FAIL: " + b.Failure }).ToList();
        var header = new[] { "Asked by", "Reference", "Resolves to", "Result" };
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        var text = new StringBuilder();
        text.AppendLine($"Load closure of {folder} on {runtime.Label}:");
        void Line(string[] cells) => text.AppendLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in rows) Line(row);
        text.AppendLine($"{bindings.Count} references, {bindings.Count(b => !b.Loads)} failures.");
        return text.ToString();
    }
}
