# Issue 19: the outputs shown in the help's examples are checked against real runs. For every example output
# that is a table or a list, the command that produced it is found (the last ZAi cmdlet before it, with any
# Select-Object or Format-List that follows it), run for real against the emulator, and the table's columns or
# the list's labels must be the ones the example shows. Values (ids, sizes, dates) differ by nature.

BeforeDiscovery {
    function Get-ExampleOutput {
        <# One entry per table or list shown in the EXAMPLES of docs/en-US/*-*.md. #>
        param([string] $Folder)
        foreach ($page in Get-ChildItem $Folder -Filter '*-*.md') {
            $lines = Get-Content -LiteralPath $page.FullName
            $title = $null; $inExamples = $false; $fence = $null
            foreach ($line in $lines) {
                if ($line -match '^## (.+)$') { $inExamples = $Matches[1] -eq 'EXAMPLES'; continue }
                if (-not $inExamples) { continue }
                if ($line -match '^### (.+)$') { $title = $Matches[1]; continue }
                if ($null -eq $fence -and $line -match '^```') { $fence = [Collections.Generic.List[string]]::new(); continue }
                if ($null -ne $fence -and $line -match '^```') {
                    foreach ($shape in Get-FenceShape @($fence)) { $shape.Page = $page.BaseName; $shape.Title = $title; $shape }
                    $fence = $null; continue
                }
                if ($null -ne $fence) { $fence.Add($line) }
            }
        }
    }

    function Get-FenceShape {
        <# The tables (a header line above dashes) and lists ('Label : value' runs) in one code block, each with
           the lines before it that hold its command: from the last line naming a ZAi cmdlet. #>
        param([string[]] $Lines)
        $i = 0
        while ($i -lt $Lines.Count) {
            $table = $i + 1 -lt $Lines.Count -and $Lines[$i] -match '\S' -and $Lines[$i + 1] -match '^\s*-+(\s+-+)*\s*$'
            $list = $Lines[$i] -match '^[A-Za-z]\w*\s+: ' -and $i + 1 -lt $Lines.Count -and $Lines[$i + 1] -match '^[A-Za-z]\w*\s+:( |$)'
            if (-not ($table -or $list)) { $i++; continue }
            $before = @($Lines[0..([math]::Max(0, $i - 1))])
            $start = -1
            for ($j = $before.Count - 1; $j -ge 0; $j--) { if ($before[$j] -match '\b[A-Z][a-z]+-ZAi\w*' -and $before[$j] -notmatch '^\s*(VERBOSE|WARNING|#)') { $start = $j; break } }
            $command = if ($start -ge 0) { ($before[$start..($before.Count - 1)] | Where-Object { $_ -notmatch '^\s*(VERBOSE|WARNING):' }) -join "`n" } else { '' }
            if ($table) {
                $shape = [ordered]@{ Kind = 'Table'; Names = @($Lines[$i].Trim() -split '\s+'); Command = $command }
                $i += 2
            }
            else {
                $names = [Collections.Generic.List[string]]::new()
                while ($i -lt $Lines.Count -and $Lines[$i] -match '^([A-Za-z]\w*)\s+:( |$)') { $names.Add($Matches[1]); $i++ }
                $shape = [ordered]@{ Kind = 'List'; Names = @($names); Command = $command }
            }
            $shape.Page = $null; $shape.Title = $null
            $shape
        }
    }

    $Examples = @(Get-ExampleOutput (Join-Path $PSScriptRoot '../docs/en-US') | Where-Object { $_.Command })
}

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator
    $script:VideoTask = New-TestId 'helpvid'
    New-EmulatorTask @{ id = $VideoTask; kind = 'video'; mediaSize = 2000 } | Out-Null

    function Get-RealObject {
        <# What the cmdlet writes, from a real run against the emulator. #>
        param([string] $Cmdlet)
        switch ($Cmdlet) {
            'Start-ZAiVideoGeneration' { Start-ZAiVideoGeneration -Prompt 'help example' }
            'Start-ZAiImageGeneration' { Start-ZAiImageGeneration -Prompt 'help example' }
            'Get-ZAiAsyncResult' { Get-ZAiAsyncResult $VideoTask }
            'Wait-ZAiAsyncResult' {
                # $Command is the example's command (Get-RealShape's parameter): a chat example waits for a chat task.
                if ($Command -match 'Start-ZAiChatCompletion') { Start-ZAiChatCompletion -Prompt 'help example' | Wait-ZAiAsyncResult }
                else { Wait-ZAiAsyncResult $VideoTask }
            }
            'Start-ZAiChatCompletion' { Start-ZAiChatCompletion -Prompt 'help example' }
            'Get-ZAiJournal' {
                $journal = Join-Path $TestDrive ((New-TestId 'helpjournal') + '.jsonl')
                'help example' | Start-ZAiVideoGeneration -Journal $journal | Out-Null
                if ($Command -match '-Summary') { Get-ZAiJournal $journal -Summary } else { Get-ZAiJournal $journal }
            }
            'Save-ZAiMedia' { Get-ZAiAsyncResult $VideoTask | Save-ZAiMedia -Path (Join-Path $TestDrive (New-TestId 'help')) }
            'Connect-ZAi' { Get-ZAiContext }
            'Get-ZAiContext' { Get-ZAiContext }
            default { throw "No real run for $Cmdlet." }
        }
    }

    function Get-RealShape {
        <# The columns or labels of the real output of an example's command, formatted as the example's command does. #>
        param([string] $Command, [string] $Kind)
        $cmdlet = ([regex]::Matches($Command, '\b[A-Z][a-z]+-ZAi\w*') | Select-Object -Last 1).Value
        $objects = @(Get-RealObject $cmdlet)
        # The statement that prints is the command's last line: only its Select-Object or Format-List shape the output.
        $after = @($Command -split "`n" | Where-Object { $_ -match '\S' })[-1]
        $select = [regex]::Match($after, '\|\s*Select-Object\s+(?:-Property\s+)?([\w, ]+?)\s*(\||$)')
        if ($select.Success) { $objects = @($objects | Select-Object -Property ($select.Groups[1].Value -split '\s*,\s*')) }
        $text = if ($after -match '\|\s*(Format-List|fl)\b') { $objects | Format-List | Out-String -Width 250 } else { $objects | Out-String -Width 250 }
        $lines = @($text -split "`r?`n")
        if ($Kind -eq 'Table') {
            for ($i = 0; $i + 1 -lt $lines.Count; $i++) { if ($lines[$i + 1] -match '^\s*-+(\s+-+)*\s*$' -and $lines[$i] -match '\S') { return @($lines[$i].Trim() -split '\s+') } }
            return @('(no table)')
        }
        $labels = @($lines | Where-Object { $_ -match '^([A-Za-z]\w*)\s+:( |$)' } | ForEach-Object { ($_ -split '\s+:')[0] })
        if ($labels.Count -eq 0) { return @('(no list)') }
        # The labels of the first object only.
        $first = $labels[0]; $end = [array]::IndexOf($labels, $first, 1)
        if ($end -gt 0) { $labels = $labels[0..($end - 1)] }
        $labels
    }
}

AfterAll { Disconnect-ZAi }

Describe 'Help example outputs match real runs' {
    It '<Page>, <Title>: the <Kind> shows what the command really writes' -ForEach $Examples {
        $real = @(Get-RealShape -Command $Command -Kind $Kind)
        ($Names -join ' ') | Should -Be ($real -join ' ') -Because "the example's command is: $Command"
    }

    It 'finds the example outputs to check' -TestCases @{ Found = $Examples.Count } {
        $Found | Should -BeGreaterThan 10
    }
}
