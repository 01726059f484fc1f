BeforeAll {
    $script:ManifestPath = $env:ZAI_TEST_MODULE
    $script:ModuleFolder = Split-Path $ManifestPath
}

Describe 'The built module' {
    It 'has a manifest that passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest $ManifestPath
        $manifest.Name | Should -Be 'ZAi'
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'has what the Gallery shows: tags, project and license links, format file' {
        $data = Import-PowerShellDataFile $ManifestPath
        $data.GUID | Should -Not -BeNullOrEmpty
        $data.Author | Should -Not -BeNullOrEmpty
        $data.Description.Length | Should -BeGreaterThan 50
        $data.Copyright | Should -Not -BeNullOrEmpty
        $data.FormatsToProcess | Should -Be 'ZAi.format.ps1xml'
        $data.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $data.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $data.PrivateData.PSData.LicenseUri | Should -Match '^https://'
    }

    It 'has ReleaseNotes with only this version''s summary from CHANGELOG.md and a link to the rest' {
        $data = Import-PowerShellDataFile $ManifestPath
        $changelog = Get-Content -Raw (Join-Path $PSScriptRoot '../CHANGELOG.md')
        $version = $data.ModuleVersion
        $section = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($version))\] - \d{4}-\d{2}-\d{2}\r?\n(.*?)(?=^### )").Groups[1].Value
        $summary = ($section.Trim() -split '\s+') -join ' '
        $summary.Length | Should -BeGreaterThan 100
        $notes = $data.PrivateData.PSData.ReleaseNotes
        $notes | Should -Be "$version`: $summary`n`nAll changes: https://github.com/zai-powershell/ZAi/blob/main/CHANGELOG.md"
        $notes.Length | Should -BeLessThan 1000
    }

    It 'exports exactly its cmdlets and no functions' {
        $data = Import-PowerShellDataFile $ManifestPath
        $data.FunctionsToExport.Count | Should -Be 0
        $module = Import-Module $ManifestPath -Force -PassThru
        $exported = (Get-Command -Module ZAi).Name | Sort-Object
        $exported | Should -Be (@($data.CmdletsToExport) | Sort-Object)
        (Get-Command -Module ZAi).CommandType | Sort-Object -Unique | Should -Be 'Cmdlet'
        $module.ExportedFunctions.Count | Should -Be 0
    }

    It 'uses approved verbs only' {
        Import-Module $ManifestPath -Force
        $approved = (Get-Verb).Verb
        (Get-Command -Module ZAi).Verb | ForEach-Object { $approved | Should -Contain $_ }
    }

    It 'ships only what PowerShell loads: no pdb, deps.json, xml docs or System.Management.Automation, but its help' {
        $files = Get-ChildItem $ModuleFolder -Recurse -File
        $files.Name | Should -Contain 'ZAi.PowerShell.dll'
        $files.Name | Should -Contain 'System.Text.Json.dll'
        $files.Name | Should -Contain 'ZAi.format.ps1xml'
        $files.Name | Should -Contain 'ZAi.types.ps1xml'
        $files | Where-Object { $_.Extension -in '.pdb', '.json' -or ($_.Extension -eq '.xml' -and $_.Name -ne 'ZAi.PowerShell.dll-Help.xml') -or $_.Name -like 'System.Management.Automation*' } | Should -BeNullOrEmpty
        $files.Name | Should -Contain 'ZAi.PowerShell.dll-Help.xml'
        $files.Name | Should -Contain 'about_ZAi.help.txt'
    }

    It 'imports twice in one session' {
        Import-Module $ManifestPath -Force
        { Import-Module $ManifestPath -Force } | Should -Not -Throw
        Get-Command Get-ZAiAsyncResult | Should -Not -BeNullOrEmpty
    }
}

Describe 'Tab completion' {
    BeforeAll {
        Import-Module $ManifestPath -Force
        Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
        Connect-TestEmulator
        $script:Seen = New-TestId 'complete'
        New-EmulatorTask @{ id = $Seen } | Out-Null
        Get-ZAiAsyncResult $Seen | Out-Null
    }

    It 'completes -Id of <Command> with task ids seen in this session' -TestCases @(
        @{ Command = 'Get-ZAiAsyncResult' }
        @{ Command = 'Wait-ZAiAsyncResult' }
    ) {
        $line = "$Command -Id complete-"
        $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $matches.CompletionText | Should -Contain $Seen
    }

    It 'completes -Kind of Save-ZAiMedia with Video, Cover and Image' {
        $line = 'Save-ZAiMedia -Kind '
        $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $matches | Should -Contain 'Video'
        $matches | Should -Contain 'Cover'
        $matches | Should -Contain 'Image'
    }
}

Describe 'Default views in a 120-column console' {
    BeforeAll {
        Import-Module $ManifestPath -Force
        Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
        Connect-TestEmulator
        $script:LongId = 'render-' + ('0123456789abcdef' * 4)
        New-EmulatorTask @{ id = $LongId; kind = 'image'; imageCount = 2; model = 'glm-image' } | Out-Null
        $script:Result = Get-ZAiAsyncResult $LongId
    }

    It 'keeps every column of <Name> visible for a 70-character id' -TestCases @(
        @{ Name = 'results'; Get = { $Result }; Columns = 'Id', 'Status', 'Kind', 'Model', 'Media' }
        @{ Name = 'image results'; Get = { $Result.ImageResult }; Columns = 'TaskId', 'Index', 'Url' }
        @{ Name = 'saved files'; Get = { $Result | Save-ZAiMedia -Path (Join-Path $TestDrive 'views') }; Columns = 'Name', 'Kind', 'Size', 'Downloaded' }
    ) {
        $text = & $Get | Out-String -Width 120
        $lines = $text -split "`r?`n" | Where-Object { $_ }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
        foreach ($column in $Columns) { $lines[0] | Should -Match "\b$column\b" }
    }

    It 'shows the context as a list with the key masked' {
        $text = Get-ZAiContext | Out-String -Width 120
        $text | Should -Match 'ApiKey\s+:\s+\*\*\*\*'
        $text | Should -Match 'BaseUri\s+:'
    }
}

Describe 'CHANGELOG.md' {
    BeforeAll {
        $script:Changelog = Get-Content -Raw (Join-Path $PSScriptRoot '../CHANGELOG.md')
        $script:Sections = [regex]::Matches($Changelog, '(?ms)^## (.*?)\r?\n(.*?)(?=^## |^\[|\z)')
    }

    It 'opens with [Unreleased], then the module''s version as a dated release' {
        $version = (Import-PowerShellDataFile $env:ZAI_TEST_MODULE).ModuleVersion
        $Sections[0].Groups[1].Value | Should -Be '[Unreleased]'
        $Sections[1].Groups[1].Value | Should -Match "^\[$([regex]::Escape($version))\] - \d{4}-\d{2}-\d{2}$"
    }

    It 'has in each release at most one heading of each Keep a Changelog kind, and no other' {
        # [Unreleased] is where work lands between releases; a release's section is what users read.
        foreach ($release in @($Sections)[1..($Sections.Count - 1)]) {
            $headings = @([regex]::Matches($release.Groups[2].Value, '(?m)^### (.*?)\s*$') | ForEach-Object { $_.Groups[1].Value })
            $headings | Should -Not -BeNullOrEmpty
            foreach ($heading in $headings) { $heading | Should -BeIn 'Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security' }
            ($headings | Select-Object -Unique).Count | Should -Be $headings.Count -Because "$($release.Groups[1].Value) repeats a heading"
        }
    }
}
