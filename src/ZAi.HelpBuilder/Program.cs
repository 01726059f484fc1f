using ZAi.HelpBuilder;

// Converts PlatyPS-schema markdown into the help files PowerShell reads:
//   <outputFolder>/<external help file>  MAML from the cmdlet pages (ZAi.PowerShell.dll-Help.xml)
//   <outputFolder>/about_*.help.txt      plain text from the about_*.md topics
// Usage: dotnet run --project src/ZAi.HelpBuilder -c Release -- <docsFolder> <outputFolder>
// Exit codes: 0 written; 1 a page breaks the schema (every problem is listed as file:line, nothing
// is written) or the output cannot be written; 2 wrong usage.

if (args.Length != 2 || args.Any(arg => arg is "-h" or "--help" or "-?" or "/?"))
{
    Console.Error.WriteLine("Usage: dotnet run --project src/ZAi.HelpBuilder -c Release -- <docsFolder> <outputFolder>");
    Console.Error.WriteLine("  docsFolder    PlatyPS markdown: one <Verb-Noun>.md per cmdlet and about_*.md topics (such as docs/en-US)");
    Console.Error.WriteLine("  outputFolder  where the MAML help file and about_*.help.txt go (such as out/ZAi/en-US)");
    return 2;
}

return HelpBuild.Run(args[0], args[1], Console.Out, Console.Error);
