# The help of the built module: every exported cmdlet has a PlatyPS page in docs/en-US that
# documents exactly its parameters, and the help built from those pages (src/ZAi.HelpBuilder, run by
# build.ps1 Build into out/ZAi/en-US) is what Get-Help shows.

BeforeDiscovery {
    $manifest = if ($env:ZAI_TEST_MODULE) { $env:ZAI_TEST_MODULE } else { Join-Path $PSScriptRoot '../out/ZAi/ZAi.psd1' }
    Import-Module $manifest -Force
    $CmdletNames = @((Get-Command -Module ZAi -CommandType Cmdlet).Name | Sort-Object)
}

BeforeAll {
    $script:ManifestPath = if ($env:ZAI_TEST_MODULE) { $env:ZAI_TEST_MODULE } else { Join-Path $PSScriptRoot '../out/ZAi/ZAi.psd1' }
    $script:ModuleFolder = Split-Path $ManifestPath
    $script:DocsFolder = Join-Path $PSScriptRoot '../docs/en-US'
    Import-Module $ManifestPath -Force

    # Parameters every cmdlet gets from PowerShell; the pages cover them with '### CommonParameters'.
    $script:CommonParameters = @(
        'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
        'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer',
        'PipelineVariable', 'WhatIf', 'Confirm'
    )

    function Get-DocumentedParameter {
        <# The names of the '### -Name' headings under '## PARAMETERS', outside code blocks. #>
        param([string] $Path)
        $inFence = $false
        $inParameters = $false
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($line -match '^\s*(```|~~~)') { $inFence = -not $inFence; continue }
            if ($inFence) { continue }
            if ($line -match '^##\s+(.+?)\s*$') { $inParameters = $Matches[1] -eq 'PARAMETERS'; continue }
            if ($inParameters -and $line -match '^###\s+-(\S+)\s*$') { $Matches[1] }
        }
    }

    function Get-OwnParameter {
        <# The cmdlet's parameters without the common ones. #>
        param([string] $Name)
        @((Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $CommonParameters })
    }

    function Get-HelpText {
        <# The text of a help property made of paragraphs (maml:para), joined, or '' when there is none. #>
        param($Value)
        if ($null -eq $Value) { return '' }
        ((@($Value) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n").Trim()
    }
}

Describe 'Help of <_>' -ForEach $CmdletNames {
    BeforeAll {
        $script:Name = $_
        $script:Page = Join-Path $DocsFolder "$Name.md"
        $script:Help = Get-Help $Name -Full
    }

    It 'has a docs page docs/en-US/<_>.md' {
        Test-Path -LiteralPath $Page -PathType Leaf | Should -BeTrue -Because "every exported cmdlet needs docs/en-US/$Name.md"
    }

    It 'documents exactly the parameters of the cmdlet under ## PARAMETERS' {
        $documented = @(Get-DocumentedParameter $Page | Where-Object { $_ -notin $CommonParameters })
        $actual = Get-OwnParameter $Name
        $missing = @($actual | Where-Object { $_ -notin $documented } | Sort-Object)
        $extra = @($documented | Where-Object { $_ -notin $actual } | Sort-Object)
        $duplicates = @($documented | Group-Object | Where-Object Count -GT 1 | ForEach-Object Name)
        $problems = @(
            if ($missing) { "not documented in $Name.md: -$($missing -join ', -')" }
            if ($extra) { "documented in $Name.md but not parameters of ${Name}: -$($extra -join ', -')" }
            if ($duplicates) { "documented twice in $Name.md: -$($duplicates -join ', -')" }
        )
        $problems -join '; ' | Should -BeNullOrEmpty
    }

    It 'documents -WhatIf and -Confirm exactly when the cmdlet supports ShouldProcess' {
        $documented = @(Get-DocumentedParameter $Page)
        $supportsShouldProcess = (Get-Command $Name).Parameters.ContainsKey('WhatIf')
        foreach ($parameter in 'WhatIf', 'Confirm') {
            ($parameter -in $documented) | Should -Be $supportsShouldProcess -Because "-$parameter is a parameter of $Name only with SupportsShouldProcess, and PlatyPS pages document it then"
        }
    }

    It 'has a synopsis from the help file, not the syntax Get-Help falls back to' {
        $synopsis = "$($Help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)" -Because 'without a help file Get-Help shows the syntax as the synopsis'
    }

    It 'has a description' {
        Get-HelpText $Help.description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' {
        $examples = @($Help.examples.example | Where-Object { $null -ne $_ })
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title.Trim('- '))' needs code"
        }
    }

    It 'describes every parameter' {
        $helpParameters = @($Help.parameters.parameter | Where-Object { $null -ne $_ })
        foreach ($parameter in Get-OwnParameter $Name) {
            $entry = $helpParameters | Where-Object Name -EQ $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "Get-Help $Name -Full should list -$parameter"
            Get-HelpText $entry.description | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'has one online address: the cmdlet''s HelpUri, the page''s online version and the help''s first related link' {
        # The docs page in the project's repository, which Get-Help -Online opens.
        $projectUri = (Import-PowerShellDataFile $ManifestPath).PrivateData.PSData.ProjectUri
        $expected = "$projectUri/blob/main/docs/en-US/$Name.md"
        # The attribute itself: CommandInfo.HelpUri falls back to the help file's link when the cmdlet has none.
        $attribute = (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)
        $attribute.HelpUri | Should -Be $expected
        (Get-Command $Name).HelpUri | Should -Be $expected
        @(Get-Content -LiteralPath $Page -TotalCount 6) | Should -Contain "online version: $expected"
        @($Help.relatedLinks.navigationLink)[0].uri | Should -Be $expected
    }

    It 'gives each parameter the type, aliases, Required, Position and pipeline input the cmdlet declares' {
        $helpParameters = @($Help.parameters.parameter | Where-Object { $null -ne $_ })
        $problems = foreach ($parameter in (Get-Command $Name).Parameters.Values | Where-Object Name -NotIn $CommonParameters) {
            $entry = $helpParameters | Where-Object Name -EQ $parameter.Name
            if (-not $entry) { continue }
            $sets = @($parameter.ParameterSets.Values)
            $pipeline = @(
                if ($sets | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' }
                if ($sets | Where-Object ValueFromPipeline) { 'ByValue' }
            )
            $expected = [ordered]@{
                type          = $parameter.ParameterType.Name
                aliases       = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }
                required      = "$([bool]($sets | Where-Object IsMandatory))".ToLowerInvariant()
                pipelineInput = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
            }
            $documented = [ordered]@{
                type          = "$($entry.type.name)"
                aliases       = "$($entry.aliases)"
                required      = "$($entry.required)".ToLowerInvariant()
                pipelineInput = "$($entry.pipelineInput)"
            }
            foreach ($key in $expected.Keys) {
                if ($documented[$key] -ne $expected[$key]) { "-$($parameter.Name) $key is '$($documented[$key])', the cmdlet says '$($expected[$key])'" }
            }
            $positions = @($sets | ForEach-Object { if ($_.Position -ge 0) { "$($_.Position)" } else { 'named' } })
            if ("$($entry.position)" -notin $positions) { "-$($parameter.Name) position is '$($entry.position)', the cmdlet says '$($positions -join "' or '")'" }
        }
        @($problems) -join '; ' | Should -BeNullOrEmpty
    }
}

Describe 'Help files of the module' {
    It 'ships en-US/ZAi.PowerShell.dll-Help.xml and en-US/about_ZAi.help.txt' {
        Join-Path $ModuleFolder 'en-US/ZAi.PowerShell.dll-Help.xml' | Should -Exist
        Join-Path $ModuleFolder 'en-US/about_ZAi.help.txt' | Should -Exist
    }

    It 'has one command in the MAML file for each exported cmdlet' {
        [xml] $maml = Get-Content -Raw -LiteralPath (Join-Path $ModuleFolder 'en-US/ZAi.PowerShell.dll-Help.xml')
        $maml.helpItems.schema | Should -Be 'maml'
        @($maml.helpItems.command.details.name | Sort-Object) | Should -Be @((Get-Command -Module ZAi -CommandType Cmdlet).Name | Sort-Object)
    }

    It 'has a docs page only for cmdlets the module exports' {
        $pages = @(Get-ChildItem -LiteralPath $DocsFolder -Filter '*.md' | Where-Object Name -NotLike 'about_*' | ForEach-Object BaseName)
        $stale = @($pages | Where-Object { $_ -notin (Get-Command -Module ZAi -CommandType Cmdlet).Name })
        $stale | Should -BeNullOrEmpty -Because 'a page without a cmdlet documents nothing'
    }

    It 'shows about_ZAi with Get-Help, including its ERROR IDS section' {
        $text = Get-Help about_ZAi | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match '(?m)^ERROR IDS\s*$'
    }

    It 'lists every exported cmdlet in about_ZAi''s list of cmdlets' {
        $about = Get-Content -Raw -LiteralPath (Join-Path $DocsFolder 'about_ZAi.md')
        $list = [regex]::Match($about, '(?s)The module has these cmdlets:(.*?)\n(?=It runs on|## )').Groups[1].Value
        $list | Should -Not -BeNullOrEmpty
        $missing = @((Get-Command -Module ZAi -CommandType Cmdlet).Name | Where-Object { $list -notmatch "``$([regex]::Escape($_))``" })
        $missing | Should -BeNullOrEmpty -Because 'about_ZAi names every cmdlet of the module'
    }
}

Describe 'Get-Help -Online' {
    BeforeAll { Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force }

    It 'asks for each cmdlet''s page, not "URI is not specified"' -Skip:($IsWindows -or $IsMacOS) {
        # Without a program to open the page (no PATH, so no xdg-open), Get-Help -Online fails naming the address it
        # resolved: that shows the address is found, without opening a browser on a developer's machine.
        $names = @((Get-Command -Module ZAi -CommandType Cmdlet).Name)
        $script = "Import-Module '$ManifestPath'; foreach (`$n in '$($names -join "','")') { try { Get-Help `$n -Online -ErrorAction Stop } catch { Write-Output ""`${n}: `$(`$_.Exception.Message)"" } }"
        $printed = @((Invoke-TestPwsh -Command $script -Environment @{ PATH = '' }) -split "`r?`n")
        $projectUri = (Import-PowerShellDataFile $ManifestPath).PrivateData.PSData.ProjectUri
        foreach ($name in $names) {
            $line = $printed | Where-Object { $_ -like "${name}: *" }
            $line | Should -BeLike "*$projectUri/blob/main/docs/en-US/$name.md*"
        }
    }
}
