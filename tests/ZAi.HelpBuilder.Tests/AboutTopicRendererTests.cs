namespace ZAi.HelpBuilder.Tests;

/// <summary>about_*.md becomes the plain text of an about topic: TOPIC, upper-case sections, text wrapped at 80.</summary>
public class AboutTopicRendererTests
{
    private static string Render(string markdown, string name = "about_Widget")
    {
        var bag = new DiagnosticBag(name + ".md");
        var text = AboutTopicRenderer.Render(markdown, name, bag);
        Assert.True(text is not null, string.Join("\n", bag.Items));
        return text!;
    }

    [Fact]
    public void Renders_sections_wrapped_text_code_lists_tables_and_subtitles()
    {
        var text = Render("""
            # about_Widget

            ## SHORT DESCRIPTION
            How widgets work.

            ## LONG DESCRIPTION
            Widgets are small things that the module gets, waits for and saves; this sentence is long enough to wrap.

            ```powershell
            Get-Widget -Id w-1 |
                Save-Widget
            ```

            - first item
            - second item that is long enough to wrap onto a second line, with a hanging indent under it

            1. one
            2. two

            ### A subtitle
            | Name | Size |
            | ---- | ---: |
            | a    | 1    |
            | bb   | 22   |

            ## SEE ALSO
            Get-Widget

            about_Other
            """);

        Assert.Equal(
            "TOPIC\r\n" +
            "    about_Widget\r\n" +
            "\r\n" +
            "SHORT DESCRIPTION\r\n" +
            "    How widgets work.\r\n" +
            "\r\n" +
            "LONG DESCRIPTION\r\n" +
            "    Widgets are small things that the module gets, waits for and saves; this\r\n" +
            "    sentence is long enough to wrap.\r\n" +
            "\r\n" +
            "        Get-Widget -Id w-1 |\r\n" +
            "            Save-Widget\r\n" +
            "\r\n" +
            "    - first item\r\n" +
            "    - second item that is long enough to wrap onto a second line, with a hanging\r\n" +
            "      indent under it\r\n" +
            "\r\n" +
            "    1. one\r\n" +
            "    2. two\r\n" +
            "\r\n" +
            "  A SUBTITLE\r\n" +
            "    Name  Size\r\n" +
            "    ----  ----\r\n" +
            "    a        1\r\n" +
            "    bb      22\r\n" +
            "\r\n" +
            "SEE ALSO\r\n" +
            "    Get-Widget\r\n" +
            "    about_Other\r\n",
            text);
    }

    [Fact]
    public void A_topic_without_SHORT_DESCRIPTION_is_an_error_because_Get_Help_takes_its_synopsis_from_there()
    {
        var bag = new DiagnosticBag("about_Widget.md");
        var text = AboutTopicRenderer.Render("# about_Widget\n\n## LONG DESCRIPTION\nText.\n", "about_Widget", bag);

        Assert.Null(text);
        Assert.Equal(["about_Widget.md: error: An about topic needs a '## SHORT DESCRIPTION' section."], bag.Items.Select(d => d.ToString()));
    }

    [Fact]
    public void A_title_that_does_not_match_the_file_name_is_an_error_on_its_line()
    {
        var bag = new DiagnosticBag("about_Widget.md");
        var text = AboutTopicRenderer.Render("\n# about_Gadget\n\n## SHORT DESCRIPTION\nA.\n\n## LONG DESCRIPTION\nB.\n", "about_Widget", bag);

        Assert.Null(text);
        Assert.Equal(["about_Widget.md:2: error: The title '# about_Gadget' does not match the file name: it must be '# about_Widget'."], bag.Items.Select(d => d.ToString()));
    }
}
