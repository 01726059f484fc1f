namespace ZAi.HelpBuilder.Tests;

/// <summary>
/// A small cmdlet page in the PlatyPS schema 2.0.0 with every section, two parameter sets, a switch,
/// accepted values, aliases, pipeline input and wildcards, so each MAML element can be checked exactly.
/// </summary>
internal static class SamplePage
{
    public const string Name = "Get-Widget";

    public const string Text = """
        ---
        external help file: Sample.dll-Help.xml
        Module Name: Sample
        online version:
        schema: 2.0.0
        ---

        # Get-Widget

        ## SYNOPSIS
        Gets widgets by id or name.

        ## SYNTAX

        ### ById (Default)
        ```
        Get-Widget [-Id] <String[]> [-Kind <String>] [-Force] [<CommonParameters>]
        ```

        ### ByName
        ```
        Get-Widget [-Name] <String> [-Kind <String>] [-Force] [<CommonParameters>]
        ```

        ## DESCRIPTION
        `Get-Widget` gets widgets from the **shop**.
        It never changes them.

        It writes one object per widget:

        - a `Widget` for each id
        - an error for each unknown id

        ## EXAMPLES

        ### Example 1: Get a widget
        ```powershell
        Get-Widget -Id w-1
        ```

        Gets the widget w-1.

        ### Example 2: Two blocks
        Before the code.

        ```powershell
        'w-1', 'w-2' | Get-Widget
        ```
        ```output
        Id   Kind
        w-1  Video
        ```

        After the code.

        ## PARAMETERS

        ### -Id
        The ids of the widgets.

        ```yaml
        Type: String[]
        Parameter Sets: ById
        Aliases: WidgetId, TaskId

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName, ByValue)
        Accept wildcard characters: False
        ```

        ### -Name
        The name, with wildcards.

        ```yaml
        Type: String
        Parameter Sets: ByName
        Aliases:

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: True
        ```

        ### -Kind
        Which kind of widget.

        ```yaml
        Type: String
        Parameter Sets: (All)
        Aliases:
        Accepted values: Video, Image

        Required: False
        Position: Named
        Default value: Video
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Force
        Gets hidden widgets too.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        Ids, by value or by property name.

        ## OUTPUTS

        ### Sample.Widget
        One per widget found.

        ### None
        With -WhatIf.

        ## NOTES
        Widgets are cached for *one* minute.

        ## RELATED LINKS

        [Set-Widget](Set-Widget.md)

        [Online help](https://example.test/widgets)
        """;
}
