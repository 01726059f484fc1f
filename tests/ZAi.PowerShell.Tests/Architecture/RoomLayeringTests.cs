using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ZAi.PowerShell.Tests.Architecture;

/// <summary>
/// The rooms of src/ZAi.PowerShell stand in one order (docs/architecture.md): a room may use the rooms below it and
/// never one above, so no two rooms use each other. Read from the source, so a new room or a new `using` is judged
/// the day it is written.
/// </summary>
public class RoomLayeringTests
{
    /// <summary>Bottom first. Keep in step with the tree in docs/architecture.md.</summary>
    internal static readonly string[] Rooms =
    {
        "Timing", "Loading", "Errors", "Models", "Costs", "Binding", "Client", "Transfer", "Journal", "Submitting",
        "Waiting", "Saving", "Completion", "Pipeline", "Commands",
    };

    private static readonly Regex Declaration = new(
        @"^    (?:\[[^\]]*\]\s*)*(?:(?:public|internal|static|sealed|abstract|partial|readonly|ref)\s+)*(?:class|struct|enum|interface|record|delegate\s+[\w<>\[\]?,\s]+?)\s+(\w+)",
        RegexOptions.Multiline);

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ZAi.PowerShell.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ZAi.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Source => Path.Combine(RepoRoot(), "src", "ZAi.PowerShell");

    private static IEnumerable<(string Room, string File, string Code)> Files() =>
        Rooms.SelectMany(room => Directory.EnumerateFiles(Path.Combine(Source, room), "*.cs", SearchOption.AllDirectories)
            .Select(file => (room, Path.GetRelativePath(Source, file).Replace('\\', '/'), Code(File.ReadAllText(file)))));

    /// <summary>The code without comments and string contents, so that prose naming a type is not a use of it.</summary>
    internal static string Code(string text)
    {
        text = Regex.Replace(text, @"/\*.*?\*/", "", RegexOptions.Singleline);
        text = Regex.Replace(text, @"//[^\n]*", "");
        text = Regex.Replace(text, "@\"(?:\"\"|[^\"])*\"", "\"\"");
        return Regex.Replace(text, "\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
    }

    /// <summary>Which room declares each top-level type.</summary>
    private static Dictionary<string, string> Owners(IEnumerable<(string Room, string File, string Code)> files)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (room, _, code) in files)
        {
            foreach (Match m in Declaration.Matches(code)) owners.TryAdd(m.Groups[1].Value, room);
        }
        return owners;
    }

    /// <summary>Each use of a room above the file's own: "Client/X.cs uses Submitting (AccountState)".</summary>
    internal static List<string> UpwardUses(IReadOnlyList<(string Room, string File, string Code)> files)
    {
        var owners = Owners(files);
        var level = Rooms.Select((room, i) => (room, i)).ToDictionary(x => x.room, x => x.i);
        var found = new List<string>();
        foreach (var (room, file, code) in files)
        {
            var above = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            void Note(string other, string what)
            {
                if (level[other] <= level[room]) return;
                if (!above.TryGetValue(other, out var set)) above[other] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(what);
            }
            foreach (Match m in Regex.Matches(code, @"\bZAi\.PowerShell\.(\w+)"))
            {
                if (level.ContainsKey(m.Groups[1].Value)) Note(m.Groups[1].Value, "namespace " + m.Groups[1].Value);
            }
            foreach (Match m in Regex.Matches(code, @"(?<![\w.])(\w+)\.[A-Z]\w*"))
            {
                if (level.ContainsKey(m.Groups[1].Value)) Note(m.Groups[1].Value, m.Value);
            }
            foreach (Match m in Regex.Matches(code, @"\b[A-Z]\w*\b"))
            {
                if (owners.TryGetValue(m.Value, out var owner) && owner != room) Note(owner, m.Value);
            }
            found.AddRange(above.Select(kv => $"{file} uses {kv.Key} ({string.Join(", ", kv.Value)})"));
        }
        return found;
    }

    [Fact]
    public void EveryFolderOfTheModuleIsARoomInTheOrder()
    {
        var folders = Directory.EnumerateDirectories(Source).Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties")).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(Rooms.OrderBy(n => n, StringComparer.Ordinal).ToArray(), folders);
    }

    [Fact]
    public void EveryFileIsInItsRoomsNamespaceOrThePublicOne()
    {
        var wrong = Files()
            .Select(f => (f.File, Namespace: Regex.Match(f.Code, @"^namespace\s+([\w.]+)", RegexOptions.Multiline).Groups[1].Value, f.Room))
            .Where(f => f.Namespace != "ZAi" && f.Namespace != "ZAi.PowerShell." + f.Room)
            .Select(f => $"{f.File}: namespace {f.Namespace}")
            .ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void NoRoomUsesARoomAboveIt()
    {
        var upward = UpwardUses(Files().ToList());
        Assert.True(upward.Count == 0, "Rooms that use a room above them:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void AnUpwardUseIsFoundByTypeByQualifiedNameAndByUsing()
    {
        var files = new List<(string Room, string File, string Code)>
        {
            ("Client", "Client/Sender.cs", Code("namespace ZAi.PowerShell.Client\n{\n    internal sealed class Sender { Queue q; }\n}\n")),
            ("Client", "Client/Key.cs", Code("using ZAi.PowerShell.Pipeline;\nnamespace ZAi.PowerShell.Client\n{\n    // Queue in prose is no use\n    internal sealed class Key { string s = \"Queue\"; object o = Submitting.Queue.Empty; }\n}\n")),
            ("Submitting", "Submitting/Queue.cs", Code("namespace ZAi.PowerShell.Submitting\n{\n    internal sealed class Queue { Sender s; }\n}\n")),
        };
        Assert.Equal(
            new[]
            {
                "Client/Sender.cs uses Submitting (Queue)",
                "Client/Key.cs uses Pipeline (namespace Pipeline)",
                "Client/Key.cs uses Submitting (Queue, Submitting.Queue)",
            },
            UpwardUses(files));
    }

    [Fact]
    public void TheArchitecturePageHasARowForEveryRoom()
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "architecture.md"));
        var missing = Rooms.Where(room => !page.Contains("`" + room + "/`", StringComparison.Ordinal)
                                          && !page.Contains(room + "/ ", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md has no row for " + string.Join(", ", missing));
    }
}
