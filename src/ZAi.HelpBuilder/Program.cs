using System.Text;
using ZAi.HelpBuilder;

// Converts PlatyPS-schema markdown into the help files PowerShell reads:
//   <outputFolder>/<external help file>  MAML from the cmdlet pages (ZAi.PowerShell.dll-Help.xml)
//   <outputFolder>/about_*.help.txt      plain text from the about_*.md topics
// Usage: dotnet run --project src/ZAi.HelpBuilder -c Release -- <docsFolder> <outputFolder>
// Exit codes: 0 written; 1 a page breaks the schema (every problem is listed, nothing is written)
// or the output cannot be written; 2 wrong usage.

if (args.Length != 2 || args.Any(arg => arg is "-h" or "--help" or "-?" or "/?"))
{
    Console.Error.WriteLine("Usage: dotnet run --project src/ZAi.HelpBuilder -c Release -- <docsFolder> <outputFolder>");
    Console.Error.WriteLine("  docsFolder    PlatyPS markdown: one <Verb-Noun>.md per cmdlet and about_*.md topics (such as docs/en-US)");
    Console.Error.WriteLine("  outputFolder  where the MAML help file and about_*.help.txt go (such as out/ZAi/en-US)");
    return 2;
}

var docsFolder = Path.GetFullPath(args[0]);
var outputFolder = Path.GetFullPath(args[1]);
if (!Directory.Exists(docsFolder))
{
    Console.Error.WriteLine($"error: the docs folder '{args[0]}' does not exist.");
    return 2;
}

var commands = new List<CommandPage>();
var abouts = new List<(string Name, string Text)>();
var diagnostics = new List<Diagnostic>();

foreach (var file in Directory.GetFiles(docsFolder, "*.md").OrderBy(file => file, StringComparer.Ordinal))
{
    var name = Path.GetFileNameWithoutExtension(file);
    var bag = new DiagnosticBag(Display(file));
    try
    {
        var text = File.ReadAllText(file);
        if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
        {
            var rendered = AboutTopicRenderer.Render(text, name, bag);
            if (rendered is not null) abouts.Add((name, rendered));
        }
        else
        {
            var page = CommandPageParser.Parse(text, name, bag);
            if (page is not null) commands.Add(page);
        }
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        bag.Error(-1, $"Cannot read the file: {ex.Message}");
    }
    catch (Exception ex)
    {
        bag.Error(-1, $"The converter failed on this file ({ex.GetType().Name}: {ex.Message}); please report it with the file.");
    }
    diagnostics.AddRange(bag.Items);
}

if (commands.Count == 0 && abouts.Count == 0 && diagnostics.Count == 0)
{
    diagnostics.Add(new Diagnostic(Display(docsFolder), 0, "The folder has no .md help pages."));
}
if (diagnostics.Count > 0)
{
    foreach (var diagnostic in diagnostics) Console.Error.WriteLine(diagnostic);
    Console.Error.WriteLine($"Help not written: {diagnostics.Count} problem(s) in {diagnostics.Select(d => d.File).Distinct().Count()} file(s).");
    return 1;
}

try
{
    Directory.CreateDirectory(outputFolder);
    foreach (var group in commands.GroupBy(page => page.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
    {
        var path = Path.Combine(outputFolder, group.Key);
        MamlWriter.Write(group, path);
        Console.WriteLine($"Wrote {Display(path)} ({group.Count()} cmdlets: {string.Join(", ", group.Select(page => page.Name))})");
    }
    foreach (var (name, text) in abouts)
    {
        var path = Path.Combine(outputFolder, name + ".help.txt");
        // With a BOM, so that Windows PowerShell 5.1 reads it as UTF-8.
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Console.WriteLine($"Wrote {Display(path)}");
    }
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: cannot write the help into '{Display(outputFolder)}': {ex.Message}");
    return 1;
}
return 0;

// A path as the user would type it: relative to the current folder when inside it, else full.
static string Display(string path)
{
    var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
    return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
}
