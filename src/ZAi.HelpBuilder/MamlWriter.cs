using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ZAi.HelpBuilder;

/// <summary>
/// Writes cmdlet pages as a MAML help file with the elements, attributes and order that PlatyPS's
/// New-ExternalHelp emits (helpItems schema="maml", one command:command per page).
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static void Write(IEnumerable<CommandPage> pages, string path)
    {
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), pages.Select(CommandElement)));

        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\r\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    private static XElement CommandElement(CommandPage page) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", page.Name),
                new XElement(Command + "verb", page.Verb),
                new XElement(Command + "noun", page.Noun),
                new XElement(Maml + "description", Paragraphs(page.Synopsis))),
            new XElement(Maml + "description", Paragraphs(page.Description)),
            new XElement(Command + "syntax", SyntaxItems.Build(page).Select(item => SyntaxItemElement(page, item))),
            new XElement(Command + "parameters", page.Parameters.Where(p => p.Metadata.Count > 0).Select(p => ParameterElement(p, p.Metadata[0], inSyntax: false))),
            new XElement(Command + "inputTypes", page.Inputs.Select(input => TypeElement("inputType", input))),
            new XElement(Command + "returnValues", page.Outputs.Select(output => TypeElement("returnValue", output))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(page.Notes))),
            new XElement(Command + "examples", page.Examples.Select(ExampleElement)),
            new XElement(Command + "relatedLinks", OnlineLinks(page).Concat(page.Links).Select(LinkElement)));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
        paragraphs.Select(paragraph => new XElement(Maml + "para", paragraph));

    private static XElement SyntaxItemElement(CommandPage page, SyntaxItem item) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", page.Name),
            item.Parameters.Select(p => ParameterElement(p.Parameter, p.Metadata, inSyntax: true)));

    /// <summary>A command:parameter; in a syntax item, a switch has no parameterValue and accepted values form a parameterValueGroup.</summary>
    private static XElement ParameterElement(ParameterDoc parameter, ParameterMetadata metadata, bool inSyntax)
    {
        var type = metadata.IsSwitch ? "SwitchParameter" : metadata.Type;
        var defaultValue = metadata.IsSwitch && (metadata.DefaultValue is null || metadata.DefaultValue.Equals("None", StringComparison.OrdinalIgnoreCase))
            ? "False"
            : metadata.DefaultValue ?? "None";

        return new XElement(Command + "parameter",
            new XAttribute("required", Bool(metadata.Required)),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Bool(metadata.Globbing)),
            new XAttribute("pipelineInput", metadata.PipelineInput),
            new XAttribute("position", metadata.Position.ToLowerInvariant()),
            new XAttribute("aliases", metadata.Aliases.Count > 0 ? string.Join(", ", metadata.Aliases) : "none"),
            new XElement(Maml + "name", parameter.Name),
            new XElement(Maml + "description", Paragraphs(parameter.Description)),
            inSyntax && metadata.AcceptedValues.Count > 0
                ? new XElement(Command + "parameterValueGroup", metadata.AcceptedValues.Select(value =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), value)))
                : null,
            !inSyntax || !metadata.IsSwitch
                ? new XElement(Command + "parameterValue", new XAttribute("required", Bool(!metadata.IsSwitch)), new XAttribute("variableLength", "false"), type)
                : null,
            new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", defaultValue));
    }

    private static XElement TypeElement(string elementName, TypeDoc type) =>
        new(Command + elementName,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            new XElement(Maml + "description", Paragraphs(type.Description)));

    private static XElement ExampleElement(ExampleDoc example) =>
        new(Command + "example",
            new XElement(Maml + "title", PadExampleTitle(example.Title)),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    /// <summary>The page's online version as the first related link, as New-ExternalHelp writes it: Get-Help -Online opens the
    /// first related link that has an address.</summary>
    private static IEnumerable<LinkDoc> OnlineLinks(CommandPage page) =>
        page.OnlineVersion is null ? [] : [new LinkDoc("Online Version:", page.OnlineVersion)];

    private static XElement LinkElement(LinkDoc link) =>
        new(Maml + "navigationLink",
            new XElement(Maml + "linkText", link.Text),
            new XElement(Maml + "uri", link.Uri));

    /// <summary>
    /// "---------- Example 1: Title ----------": the title centred in dashes 64 columns wide, as
    /// New-ExternalHelp pads it, except that a long title keeps three dashes on each side instead of
    /// losing them, so that every example stands out from the remarks of the one before.
    /// </summary>
    public static string PadExampleTitle(string title)
    {
        const int width = 64;
        const int minimumDashes = 3;
        if (string.IsNullOrWhiteSpace(title)) return title;
        var dashes = new string('-', Math.Max(minimumDashes, (width - title.Length - 2) / 2));
        return $"{dashes} {title} {dashes}";
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
