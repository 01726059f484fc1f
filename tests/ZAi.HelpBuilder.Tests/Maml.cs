using System.Xml.Linq;

namespace ZAi.HelpBuilder.Tests;

/// <summary>Runs a page through the parser and the MAML writer, as the build does, and reads the file back.</summary>
internal static class Maml
{
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>The command:command element written for the page; fails the test with the diagnostics if it does not parse.</summary>
    public static XElement CommandOf(string markdown, string name)
    {
        var bag = new DiagnosticBag(name + ".md");
        var page = CommandPageParser.Parse(markdown, name, bag);
        Assert.True(page is not null, string.Join("\n", bag.Items));
        var path = Path.Combine(Path.GetTempPath(), $"zai-helpbuilder-{Guid.NewGuid():n}-Help.xml");
        try
        {
            MamlWriter.Write([page!], path);
            var document = XDocument.Load(path);
            Assert.Equal("helpItems", document.Root!.Name.LocalName);
            return Assert.Single(document.Root.Elements());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Asserts that the element is exactly the expected XML (names, namespaces, attributes and their order,
    /// text), written with the maml:, command: and dev: prefixes of the help file. Indentation is ignored.
    /// </summary>
    public static void AssertXml(string expected, XElement actual)
    {
        var wrapped = $"<root xmlns:maml=\"{MamlNs}\" xmlns:command=\"{Command}\" xmlns:dev=\"{Dev}\">{expected}</root>";
        var expectedElement = Assert.Single(XElement.Parse(wrapped).Elements());
        var left = WithoutNamespaceDeclarations(expectedElement);
        var right = WithoutNamespaceDeclarations(actual);
        Assert.True(XNode.DeepEquals(left, right), $"Expected:\n{left}\n\nActual:\n{right}");
    }

    private static XElement WithoutNamespaceDeclarations(XElement element)
    {
        var copy = new XElement(element);
        foreach (var e in copy.DescendantsAndSelf()) e.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        return copy;
    }
}
