using System.Xml.Linq;

namespace ZAi.HelpBuilder.Tests;

/// <summary>Each markdown section of a PlatyPS page becomes the MAML element New-ExternalHelp writes for it.</summary>
public class MamlSectionTests
{
    private static readonly XElement Command = Maml.CommandOf(SamplePage.Text, SamplePage.Name);

    private static XElement Child(XNamespace ns, string name) => Assert.Single(Command.Elements(ns + name));

    [Fact]
    public void The_command_element_has_the_sections_in_New_ExternalHelp_order()
    {
        Assert.Equal(
            ["command:details", "maml:description", "command:syntax", "command:parameters", "command:inputTypes",
             "command:returnValues", "maml:alertSet", "command:examples", "command:relatedLinks"],
            Command.Elements().Select(e => $"{Command.GetPrefixOfNamespace(e.Name.Namespace)}:{e.Name.LocalName}"));
        Assert.Equal(Maml.Command + "command", Command.Name);
    }

    [Fact]
    public void Title_and_synopsis_become_the_details()
    {
        Maml.AssertXml("""
            <command:details>
              <command:name>Get-Widget</command:name>
              <command:verb>Get</command:verb>
              <command:noun>Widget</command:noun>
              <maml:description><maml:para>Gets widgets by id or name.</maml:para></maml:description>
            </command:details>
            """, Child(Maml.Command, "details"));
    }

    [Fact]
    public void Description_paragraphs_and_list_items_become_one_para_each_with_inline_code_kept()
    {
        Maml.AssertXml("""
            <maml:description>
              <maml:para>`Get-Widget` gets widgets from the shop. It never changes them.</maml:para>
              <maml:para>It writes one object per widget:</maml:para>
              <maml:para>- a `Widget` for each id</maml:para>
              <maml:para>- an error for each unknown id</maml:para>
            </maml:description>
            """, Child(Maml.MamlNs, "description"));
    }

    [Fact]
    public void Syntax_has_one_item_per_parameter_set_in_SYNTAX_order_positional_first_switch_without_value()
    {
        const string kind = """
            <command:parameter required="false" variableLength="true" globbing="false" pipelineInput="False" position="named" aliases="none">
              <maml:name>Kind</maml:name>
              <maml:description><maml:para>Which kind of widget.</maml:para></maml:description>
              <command:parameterValueGroup>
                <command:parameterValue required="false" variableLength="false">Video</command:parameterValue>
                <command:parameterValue required="false" variableLength="false">Image</command:parameterValue>
              </command:parameterValueGroup>
              <command:parameterValue required="true" variableLength="false">String</command:parameterValue>
              <dev:type><maml:name>String</maml:name><maml:uri /></dev:type>
              <dev:defaultValue>Video</dev:defaultValue>
            </command:parameter>
            <command:parameter required="false" variableLength="true" globbing="false" pipelineInput="False" position="named" aliases="none">
              <maml:name>Force</maml:name>
              <maml:description><maml:para>Gets hidden widgets too.</maml:para></maml:description>
              <dev:type><maml:name>SwitchParameter</maml:name><maml:uri /></dev:type>
              <dev:defaultValue>False</dev:defaultValue>
            </command:parameter>
            """;
        Maml.AssertXml($"""
            <command:syntax>
              <command:syntaxItem>
                <maml:name>Get-Widget</maml:name>
                <command:parameter required="true" variableLength="true" globbing="false" pipelineInput="True (ByPropertyName, ByValue)" position="0" aliases="WidgetId, TaskId">
                  <maml:name>Id</maml:name>
                  <maml:description><maml:para>The ids of the widgets.</maml:para></maml:description>
                  <command:parameterValue required="true" variableLength="false">String[]</command:parameterValue>
                  <dev:type><maml:name>String[]</maml:name><maml:uri /></dev:type>
                  <dev:defaultValue>None</dev:defaultValue>
                </command:parameter>
                {kind}
              </command:syntaxItem>
              <command:syntaxItem>
                <maml:name>Get-Widget</maml:name>
                <command:parameter required="true" variableLength="true" globbing="true" pipelineInput="False" position="0" aliases="none">
                  <maml:name>Name</maml:name>
                  <maml:description><maml:para>The name, with wildcards.</maml:para></maml:description>
                  <command:parameterValue required="true" variableLength="false">String</command:parameterValue>
                  <dev:type><maml:name>String</maml:name><maml:uri /></dev:type>
                  <dev:defaultValue>None</dev:defaultValue>
                </command:parameter>
                {kind}
              </command:syntaxItem>
            </command:syntax>
            """, Child(Maml.Command, "syntax"));
    }

    [Fact]
    public void Parameters_carry_their_yaml_metadata_as_attributes_type_and_default_in_page_order()
    {
        Maml.AssertXml("""
            <command:parameters>
              <command:parameter required="true" variableLength="true" globbing="false" pipelineInput="True (ByPropertyName, ByValue)" position="0" aliases="WidgetId, TaskId">
                <maml:name>Id</maml:name>
                <maml:description><maml:para>The ids of the widgets.</maml:para></maml:description>
                <command:parameterValue required="true" variableLength="false">String[]</command:parameterValue>
                <dev:type><maml:name>String[]</maml:name><maml:uri /></dev:type>
                <dev:defaultValue>None</dev:defaultValue>
              </command:parameter>
              <command:parameter required="true" variableLength="true" globbing="true" pipelineInput="False" position="0" aliases="none">
                <maml:name>Name</maml:name>
                <maml:description><maml:para>The name, with wildcards.</maml:para></maml:description>
                <command:parameterValue required="true" variableLength="false">String</command:parameterValue>
                <dev:type><maml:name>String</maml:name><maml:uri /></dev:type>
                <dev:defaultValue>None</dev:defaultValue>
              </command:parameter>
              <command:parameter required="false" variableLength="true" globbing="false" pipelineInput="False" position="named" aliases="none">
                <maml:name>Kind</maml:name>
                <maml:description><maml:para>Which kind of widget.</maml:para></maml:description>
                <command:parameterValue required="true" variableLength="false">String</command:parameterValue>
                <dev:type><maml:name>String</maml:name><maml:uri /></dev:type>
                <dev:defaultValue>Video</dev:defaultValue>
              </command:parameter>
              <command:parameter required="false" variableLength="true" globbing="false" pipelineInput="False" position="named" aliases="none">
                <maml:name>Force</maml:name>
                <maml:description><maml:para>Gets hidden widgets too.</maml:para></maml:description>
                <command:parameterValue required="false" variableLength="false">SwitchParameter</command:parameterValue>
                <dev:type><maml:name>SwitchParameter</maml:name><maml:uri /></dev:type>
                <dev:defaultValue>False</dev:defaultValue>
              </command:parameter>
            </command:parameters>
            """, Child(Maml.Command, "parameters"));
    }

    [Fact]
    public void Examples_get_a_padded_title_their_code_blocks_joined_and_the_text_around_them_as_remarks()
    {
        Maml.AssertXml("""
            <command:examples>
              <command:example>
                <maml:title>------------------- Example 1: Get a widget -------------------</maml:title>
                <dev:code>Get-Widget -Id w-1</dev:code>
                <dev:remarks><maml:para>Gets the widget w-1.</maml:para></dev:remarks>
              </command:example>
              <command:example>
                <maml:title>-------------------- Example 2: Two blocks --------------------</maml:title>
                <dev:code>'w-1', 'w-2' | Get-Widget

            Id   Kind
            w-1  Video</dev:code>
                <dev:remarks><maml:para>Before the code.</maml:para><maml:para>After the code.</maml:para></dev:remarks>
              </command:example>
            </command:examples>
            """, Child(Maml.Command, "examples"));
    }

    [Fact]
    public void Inputs_become_inputTypes()
    {
        Maml.AssertXml("""
            <command:inputTypes>
              <command:inputType>
                <dev:type><maml:name>System.String</maml:name></dev:type>
                <maml:description><maml:para>Ids, by value or by property name.</maml:para></maml:description>
              </command:inputType>
            </command:inputTypes>
            """, Child(Maml.Command, "inputTypes"));
    }

    [Fact]
    public void Outputs_become_returnValues_one_per_type()
    {
        Maml.AssertXml("""
            <command:returnValues>
              <command:returnValue>
                <dev:type><maml:name>Sample.Widget</maml:name></dev:type>
                <maml:description><maml:para>One per widget found.</maml:para></maml:description>
              </command:returnValue>
              <command:returnValue>
                <dev:type><maml:name>None</maml:name></dev:type>
                <maml:description><maml:para>With -WhatIf.</maml:para></maml:description>
              </command:returnValue>
            </command:returnValues>
            """, Child(Maml.Command, "returnValues"));
    }

    [Fact]
    public void Notes_become_the_alert_with_emphasis_markers_dropped()
    {
        Maml.AssertXml("""
            <maml:alertSet><maml:alert><maml:para>Widgets are cached for one minute.</maml:para></maml:alert></maml:alertSet>
            """, Child(Maml.MamlNs, "alertSet"));
    }

    [Fact]
    public void Related_links_become_navigationLinks_with_the_uri_only_for_absolute_links()
    {
        Maml.AssertXml("""
            <command:relatedLinks>
              <maml:navigationLink><maml:linkText>Set-Widget</maml:linkText><maml:uri></maml:uri></maml:navigationLink>
              <maml:navigationLink><maml:linkText>Online help</maml:linkText><maml:uri>https://example.test/widgets</maml:uri></maml:navigationLink>
            </command:relatedLinks>
            """, Child(Maml.Command, "relatedLinks"));
    }

    [Fact]
    public void The_online_version_becomes_the_first_related_link_for_Get_Help_Online()
    {
        var command = Maml.CommandOf(SamplePage.Text.Replace("online version:\n", "online version: https://example.test/docs/Get-Widget.md\n"), SamplePage.Name);

        Maml.AssertXml("""
            <command:relatedLinks>
              <maml:navigationLink><maml:linkText>Online Version:</maml:linkText><maml:uri>https://example.test/docs/Get-Widget.md</maml:uri></maml:navigationLink>
              <maml:navigationLink><maml:linkText>Set-Widget</maml:linkText><maml:uri></maml:uri></maml:navigationLink>
              <maml:navigationLink><maml:linkText>Online help</maml:linkText><maml:uri>https://example.test/widgets</maml:uri></maml:navigationLink>
            </command:relatedLinks>
            """, Assert.Single(command.Elements(Maml.Command + "relatedLinks")));
    }
}
