using System.Text;

namespace ZAi.HelpBuilder;

/// <summary>
/// One run of the converter: reads every page of a docs folder, reports every problem as
/// "file:line: error: message" on the error writer, and writes the help only when there is none.
/// </summary>
internal static class HelpBuild
{
    /// <returns>0 written; 1 a page breaks the schema (nothing is written) or the output cannot be written; 2 no docs folder.</returns>
    public static int Run(string docsArgument, string outputArgument, TextWriter output, TextWriter error)
    {
        var docsFolder = Path.GetFullPath(docsArgument);
        var outputFolder = Path.GetFullPath(outputArgument);
        if (!Directory.Exists(docsFolder))
        {
            error.WriteLine($"error: the docs folder '{docsArgument}' does not exist.");
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
            foreach (var diagnostic in diagnostics) error.WriteLine(diagnostic);
            error.WriteLine($"Help not written: {diagnostics.Count} problem(s) in {diagnostics.Select(d => d.File).Distinct().Count()} file(s).");
            return 1;
        }

        try
        {
            Directory.CreateDirectory(outputFolder);
            foreach (var group in commands.GroupBy(page => page.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
            {
                var path = Path.Combine(outputFolder, group.Key);
                MamlWriter.Write(group, path);
                output.WriteLine($"Wrote {Display(path)} ({group.Count()} cmdlets: {string.Join(", ", group.Select(page => page.Name))})");
            }
            foreach (var (name, text) in abouts)
            {
                var path = Path.Combine(outputFolder, name + ".help.txt");
                // With a BOM, so that Windows PowerShell 5.1 reads it as UTF-8.
                File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                output.WriteLine($"Wrote {Display(path)}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write the help into '{Display(outputFolder)}': {ex.Message}");
            return 1;
        }
        return 0;
    }

    /// <summary>A path as the user would type it: relative to the current folder when inside it, else full.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
