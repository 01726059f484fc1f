namespace ZAi.HelpBuilder.Tests;

/// <summary>
/// A page that breaks the schema stops the build with "file:line: error: message" for each problem, and
/// no help file is written, so a broken page never ships as half a help file.
/// </summary>
public sealed class MalformedPageTests : IDisposable
{
    private readonly string _docs = Directory.CreateTempSubdirectory("zai-helpbuilder-docs-").FullName;
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"zai-helpbuilder-out-{Guid.NewGuid():n}");

    public void Dispose()
    {
        Directory.Delete(_docs, recursive: true);
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    private (int ExitCode, string[] Errors, string Output) Build(params (string Name, string Text)[] pages)
    {
        foreach (var (name, text) in pages) File.WriteAllText(Path.Combine(_docs, name + ".md"), text);
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = HelpBuild.Run(_docs, _output, output, error);
        return (exitCode, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToArray(), output.ToString());
    }

    private string PathOf(string name) => Path.Combine(_docs, name + ".md");

    /// <summary>The 1-based line of the first line of the text that starts with the marker.</summary>
    private static int LineOf(string text, string marker)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, line => line.StartsWith(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{marker}' is not in the page.");
        return index + 1;
    }

    private static string Sample(string find, string replace)
    {
        Assert.Contains(find, SamplePage.Text);
        return SamplePage.Text.Replace(find, replace);
    }

    [Fact]
    public void A_valid_page_writes_the_MAML_file_and_reports_nothing()
    {
        var (exitCode, errors, output) = Build((SamplePage.Name, SamplePage.Text));

        Assert.Equal(0, exitCode);
        Assert.Empty(errors);
        Assert.True(File.Exists(Path.Combine(_output, "Sample.dll-Help.xml")));
        Assert.Contains("(1 cmdlets: Get-Widget)", output);
    }

    [Fact]
    public void An_unknown_section_names_the_file_and_the_heading_line()
    {
        var page = Sample("## NOTES", "## REMARKS");

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [
                $"{PathOf(SamplePage.Name)}:{LineOf(page, "## REMARKS")}: error: Unknown section '## REMARKS'. The PlatyPS schema has: SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS.",
                "Help not written: 1 problem(s) in 1 file(s).",
            ],
            errors);
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void A_parameter_metadata_block_without_a_required_key_names_the_yaml_block_line()
    {
        var page = Sample("Default value: Video\n", string.Empty);

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        var kindYaml = LineOf(page, "### -Kind") + 3; // heading, description, blank, ```yaml
        Assert.Equal("```yaml", page.Split('\n')[kindYaml - 1]);
        Assert.Equal(1, exitCode);
        Assert.Equal($"{PathOf(SamplePage.Name)}:{kindYaml}: error: The ```yaml block of parameter -Kind has no 'Default value:' line.", errors[0]);
    }

    [Fact]
    public void Invalid_YAML_in_a_metadata_block_names_the_line_inside_the_block()
    {
        var page = Sample("Aliases: WidgetId, TaskId", "Aliases: WidgetId: TaskId");

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"{PathOf(SamplePage.Name)}:{LineOf(page, "Aliases: WidgetId: TaskId")}: error: The ```yaml block of parameter -Id is not valid YAML: While scanning a plain scalar value, found invalid mapping.",
            errors[0]);
    }

    [Fact]
    public void A_wrong_metadata_value_names_its_own_line()
    {
        var page = Sample("Required: True\nPosition: 0\nDefault value: None\nAccept pipeline input: False", "Required: Yes\nPosition: 0\nDefault value: None\nAccept pipeline input: False");

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        Assert.Equal(1, exitCode);
        Assert.Equal($"{PathOf(SamplePage.Name)}:{LineOf(page, "Required: Yes")}: error: The ```yaml block of parameter -Name: 'Required' must be True or False, not 'Yes'.", errors[0]);
    }

    [Fact]
    public void An_unsupported_schema_in_the_front_matter_names_the_schema_line()
    {
        var page = Sample("schema: 2.0.0", "schema: 3.0.0");

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        Assert.Equal(1, exitCode);
        Assert.Equal($"{PathOf(SamplePage.Name)}:{LineOf(page, "schema:")}: error: The front matter has 'schema: 3.0.0'; only the PlatyPS schema 2.0.0 is supported.", errors[0]);
    }

    [Fact]
    public void An_online_version_that_is_not_a_web_address_names_its_line()
    {
        var page = Sample("online version:\n", "online version: docs/Get-Widget.md\n");

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        Assert.Equal(1, exitCode);
        Assert.Equal($"{PathOf(SamplePage.Name)}:{LineOf(page, "online version:")}: error: The front matter's 'online version: docs/Get-Widget.md' must be an absolute http or https address, the page Get-Help -Online opens.", errors[0]);
        Assert.Equal(2, errors.Length);
    }

    [Fact]
    public void An_example_without_code_names_its_heading_line()
    {
        var page = Sample("```powershell\nGet-Widget -Id w-1\n```\n", string.Empty);

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        Assert.Equal(1, exitCode);
        Assert.Equal($"{PathOf(SamplePage.Name)}:{LineOf(page, "### Example 1")}: error: Example 'Example 1: Get a widget' has no code block.", errors[0]);
    }

    [Fact]
    public void A_page_without_front_matter_names_the_file()
    {
        var page = SamplePage.Text[(SamplePage.Text.IndexOf("# Get-Widget", StringComparison.Ordinal))..];

        var (exitCode, errors, _) = Build((SamplePage.Name, page));

        Assert.Equal(1, exitCode);
        Assert.Equal($"{PathOf(SamplePage.Name)}: error: The page has no YAML front matter ('---' lines with 'external help file:', 'Module Name:' and 'schema: 2.0.0') at its top.", errors[0]);
    }

    [Fact]
    public void Every_problem_of_every_page_is_listed_and_a_valid_page_beside_them_is_not_written()
    {
        var wrongTitle = Sample("# Get-Widget", "# Get-Gadget");
        var syntaxMismatch = Sample("[-Name] <String> [-Kind <String>] [-Force]", "[-Name] <String> [-Force]").Replace("Get-Widget", "Find-Widget");

        var (exitCode, errors, output) = Build(("Find-Widget", syntaxMismatch), ("Get-Widget", wrongTitle), ("Set-Widget", SamplePage.Text.Replace("Get-Widget", "Set-Widget")));

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [
                $"{PathOf("Find-Widget")}:{LineOf(syntaxMismatch, "### ByName")}: error: SYNTAX 'ByName' does not list -Kind, which its ```yaml block puts in that parameter set.",
                $"{PathOf("Get-Widget")}:{LineOf(wrongTitle, "# Get-Gadget")}: error: The title '# Get-Gadget' does not match the file name: it must be '# Get-Widget'.",
                "Help not written: 2 problem(s) in 2 file(s).",
            ],
            errors);
        Assert.Equal(string.Empty, output);
        Assert.False(Directory.Exists(_output));
    }
}
