# Issue 25, section 4: names a user reads are names a user can type. Parameters say Maximum (as PowerShell's own
# cmdlets do) and keep their earlier Max names as aliases; every column and list label of every format view is a
# property of the objects it shows; dates read one way in every view and culture; exports carry text.

BeforeDiscovery {
    function Get-ViewColumn {
        <# One entry per view of ZAi.format.ps1xml: its name, kind (Table or List), type names and the labels a user reads. #>
        [xml] $format = Get-Content -Raw (Join-Path (Split-Path $env:ZAI_TEST_MODULE) 'ZAi.format.ps1xml')
        foreach ($view in $format.Configuration.ViewDefinitions.View) {
            $labels = if ($view.TableControl) {
                $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
                $items = @(@($view.TableControl.TableRowEntries.TableRowEntry)[0].TableColumnItems.TableColumnItem)
                for ($i = 0; $i -lt $items.Count; $i++) {
                    $label = if ($i -lt $headers.Count -and $headers[$i].Label) { $headers[$i].Label } else { $items[$i].PropertyName }
                    $label
                }
            }
            else {
                foreach ($item in @(@($view.ListControl.ListEntries.ListEntry)[0].ListItems.ListItem)) { if ($item.Label) { $item.Label } else { $item.PropertyName } }
            }
            @{ Name = $view.Name; Kind = $(if ($view.TableControl) { 'Table' } else { 'List' }); Types = @($view.ViewSelectedBy.TypeName); Labels = @($labels) }
        }
    }
    $Views = @(Get-ViewColumn)
}

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator

    function ConvertTo-Deserialized {
        <# The object as Import-Clixml, Receive-Job or remoting give it back. #>
        param($InputObject)
        [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($InputObject))
    }

    # One real object of every type a view is selected by, from runs against the emulator.
    $video = New-TestId 'names-video'
    $image = New-TestId 'names-image'
    New-EmulatorTask @{ id = $video; kind = 'video'; model = 'vidu_template_agent'; mediaSize = 2000 }, @{ id = $image; kind = 'image'; imageCount = 2; model = 'glm-image' } | Out-Null
    $script:Journal = Join-Path $TestDrive 'names.jsonl'
    $script:Folder = Join-Path $TestDrive 'names'
    $script:Saved = @('names prompt' | Start-ZAiVideoGeneration -Journal $Journal | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path $Folder)
    $script:VideoResult = Get-ZAiAsyncResult $video
    $imageResult = Get-ZAiAsyncResult $image
    $chat = Start-ZAiChatCompletion -Prompt 'names chat' | Wait-ZAiAsyncResult -PollIntervalSec 0.1
    $script:Samples = @{
        'ZAi.AsyncResult'      = $VideoResult
        'ZAi.AsyncResult#Chat' = $chat
        'ZAi.VideoResult'      = $VideoResult.VideoResult[0]
        'ZAi.ImageResult'      = $imageResult.ImageResult[0]
        'ZAi.ZAiContext'       = Get-ZAiContext
        'ZAi.SavedMediaFile'   = $Saved[0]
        'ZAi.JournalEntry'     = Get-ZAiJournal $Journal
        'ZAi.JournalSummary'   = Get-ZAiJournal $Journal -Summary
    }
    foreach ($type in @($Samples.Keys)) { $Samples["Deserialized.$type"] = ConvertTo-Deserialized $Samples[$type] }
}

Describe 'Parameter names' {
    It 'say Maximum, never Max, on every cmdlet (the Max names are aliases)' {
        $parameters = Get-Command -Module ZAi -CommandType Cmdlet | ForEach-Object { $cmdlet = $_.Name; $_.Parameters.Values | ForEach-Object { "$cmdlet -$($_.Name)" } }
        @($parameters | Where-Object { $_ -match ' -Max(?!imum)' }) | Should -BeNullOrEmpty
    }

    It '<Cmdlet> -<Name> keeps -<Alias> as an alias' -TestCases @(
        @{ Cmdlet = 'Connect-ZAi'; Name = 'MaximumRetryCount'; Alias = 'MaxRetries' }
        @{ Cmdlet = 'Connect-ZAi'; Name = 'MaximumRetryCount'; Alias = 'RetryCount' }
        @{ Cmdlet = 'Wait-ZAiAsyncResult'; Name = 'MaximumPollIntervalSec'; Alias = 'MaxPollIntervalSec' }
        @{ Cmdlet = 'Start-ZAiChatCompletion'; Name = 'MaximumTokens'; Alias = 'MaxTokens' }
    ) {
        (Get-Command $Cmdlet).Parameters[$Name].Aliases | Should -Contain $Alias
    }

    It 'Connect-ZAi takes the retries as -<_>, and Get-ZAiContext shows them as MaximumRetryCount' -ForEach 'MaximumRetryCount', 'MaxRetries' {
        $context = Connect-TestEmulator -Extra @{ $_ = 7; PassThru = $true }
        try {
            $context.MaximumRetryCount | Should -Be 7
            (Get-ZAiContext).MaximumRetryCount | Should -Be 7
        }
        finally { Connect-TestEmulator -Extra @{ MaximumRetryCount = 3 } | Out-Null }
    }

    It 'Get-ZAiContext keeps MaxRetries for scripts that read it, out of Get-Member and exports' {
        $context = Get-ZAiContext
        $context.MaxRetries | Should -Be $context.MaximumRetryCount
        ($context | Get-Member -Name MaxRetries) | Should -BeNullOrEmpty
        ($context | ConvertTo-Csv -NoTypeInformation)[0] | Should -Not -Match '"MaxRetries"'
        ($context | ConvertTo-Csv -NoTypeInformation)[0] | Should -Match '"MaximumRetryCount"'
    }

    It 'Wait-ZAiAsyncResult checks -<_> against -PollIntervalSec' -ForEach 'MaximumPollIntervalSec', 'MaxPollIntervalSec' {
        $splat = @{ $_ = 1 }
        { Wait-ZAiAsyncResult 'x' -PollIntervalSec 5 @splat } | Should -Throw -ErrorId 'ZAiInvalidPollInterval,*'
    }

    It 'Start-ZAiChatCompletion sends -<_> as max_tokens' -ForEach 'MaximumTokens', 'MaxTokens' {
        $tag = New-TestId "names tokens $_"
        $splat = @{ $_ = 123 }
        Start-ZAiChatCompletion -Prompt $tag @splat | Out-Null
        $sent = @(Get-EmulatorRequest -PathContains '/async/chat/completions' | Where-Object { $_.body -and $_.body.Contains($tag) })
        $sent.Count | Should -Be 1
        ($sent[0].body | ConvertFrom-Json).max_tokens | Should -Be 123
    }
}

Describe 'Format views' {
    It 'has an object to check for every type a view is selected by' -TestCases @{ Views = $Views } {
        $types = $Views | ForEach-Object { $_.Types } | Sort-Object -Unique
        @($types | Where-Object { -not $Samples.ContainsKey($_) }) | Should -BeNullOrEmpty -Because 'a new view needs a sample object here'
    }

    It 'shows in <Name> only labels that are properties a user can filter on' -ForEach $Views {
        $problems = foreach ($type in $Types) {
            $sample = $Samples[$type]
            foreach ($label in $Labels) {
                if (-not ($sample | Get-Member -Name $label -Force -MemberType Properties)) { "$type has no property '$label'"; continue }
                $value = $sample.$label
                if ($null -ne $value -and $value -isnot [Collections.IEnumerable] -or $value -is [string]) {
                    if (@($sample | Where-Object -Property $label -EQ -Value $value).Count -ne 1) { "Where-Object $label -eq '$value' does not find the $type" }
                }
            }
        }
        @($problems) | Should -BeNullOrEmpty
    }

    It 'shows every date of <Name> as yyyy-MM-dd HH:mm:ss +zz:zz in local time, whatever the culture' -ForEach @($Views | Where-Object { $_.Kind -eq 'List' }) {
        $culture = [cultureinfo]::CurrentCulture
        try {
            # Persian: another calendar, digits and date order; the views must not follow it.
            [cultureinfo]::CurrentCulture = [cultureinfo]::new('fa-IR')
            $dates = 0
            foreach ($type in $Types) {
                $sample = $Samples[$type]
                $lines = @(($sample | Format-List -View $Name | Out-String -Width 250) -split "`r?`n")
                foreach ($label in $Labels) {
                    $value = $sample.$label
                    if ($value -is [psobject]) { $value = $value.psobject.BaseObject }
                    if ($value -isnot [datetime] -and $value -isnot [datetimeoffset]) { continue }
                    $dates++
                    $local = if ($value -is [datetime]) { [datetimeoffset]$value.ToUniversalTime() } else { $value }
                    $expected = $local.ToLocalTime().ToString('yyyy-MM-dd HH:mm:ss zzz', [cultureinfo]::InvariantCulture)
                    $line = $lines | Where-Object { $_ -match "^$label\s+: " }
                    $line | Should -Match "^$label\s+: $([regex]::Escape($expected))$" -Because "$type $label in $Name"
                }
            }
            if ($Name -match 'AsyncResult.List$|SavedMediaFile|JournalEntry|ZAiContext$') { $dates | Should -BeGreaterThan 0 }
        }
        finally { [cultureinfo]::CurrentCulture = $culture }
    }

    It 'shows a saved file''s ExpiresAt in Format-List the way results show theirs' {
        $result = ($VideoResult | Format-List | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ -match '^ExpiresAt\s+: ' }
        $file = ($Saved[0] | Format-List | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ -match '^ExpiresAt\s+: ' }
        $entry = (Get-ZAiJournal $Journal | Format-List | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ -match '^ExpiresAt\s+: ' }
        foreach ($line in $result, $file, $entry) { $line | Should -Match '^ExpiresAt\s+: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}$' }
    }

    It 'filters saved files by the Kind and Size the table shows' {
        @($Saved | Where-Object Kind -EQ Video).Count | Should -Be 1
        @($Saved | Where-Object Kind -EQ Cover).Count | Should -Be 1
        @($Saved | Where-Object Size -GT 0).Count | Should -Be 2
        ($Saved[0] | ConvertTo-Csv -NoTypeInformation)[0] | Should -Not -Match '"Kind"|"Size"'
    }

    It 'shows a model name of 19 characters whole in the result table at 120 columns' {
        $text = $VideoResult | Out-String -Width 120
        $text | Should -Match '\bvidu_template_agent\b'
        $text | Should -Not -Match '…'
    }
}

Describe 'Exports' {
    It 'writes a journal entry''s Files as the paths joined with "; " and keeps them a list for scripts' {
        $entry = Get-ZAiJournal $Journal
        $paths = @($Saved | ForEach-Object FullName)
        $row = $entry | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.Files | Should -Be ($paths -join '; ')
        $entry.Files.Count | Should -Be 2
        $entry.Files[1] | Should -Be $paths[1]
        @($entry.Files) | Should -Be $paths
        (ConvertTo-Json $entry -Depth 3 | ConvertFrom-Json).Files | Should -Be $paths
    }

    It 'writes a journal entry''s ExpiresAt as ISO 8601 in UTC' {
        $row = Get-ZAiJournal $Journal | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.ExpiresAt | Should -Match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$'
    }
}
