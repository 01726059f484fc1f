# The runbook across runs, as a scheduler runs it: under -ErrorAction Stop, re-run until it is green. A refused prompt
# or a blank line must not strand the tasks already paid for, every run must end by saying whether the batch is done,
# and commands sharing a journal share its budget.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    $script:Url = Get-TestEmulatorUrl
    $script:Key = Get-TestApiKey
    Connect-ZAi -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $Url -MaxRetries 0
    Set-EmulatorSubmission -Reset | Out-Null
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("zai-runbook-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory $Work | Out-Null

    function Invoke-Runbook {
        <# The README's runbook under Stop: returns 'green', or the error that ended it, and the warnings it gave. #>
        param([string[]] $Prompts, [string] $Journal, [string] $Folder, [decimal] $MaximumCost = 100)
        $ErrorActionPreference = 'Stop'
        $warnings = [Collections.Generic.List[object]]::new()
        $outcome = try {
            $Prompts | Start-ZAiVideoGeneration -Journal $Journal -MaximumCost $MaximumCost -WarningVariable +warnings -WarningAction SilentlyContinue |
                Wait-ZAiAsyncResult -PollIntervalSec 0.1 -WarningAction SilentlyContinue |
                Save-ZAiMedia -Path $Folder -WarningAction SilentlyContinue | Out-Null
            'green'
        }
        catch { $_ }
        [pscustomobject]@{ Outcome = $outcome; Warnings = @($warnings | ForEach-Object { "$_" }) }
    }
}

AfterAll {
    Set-EmulatorSubmission -Reset | Out-Null
    Disconnect-ZAi
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A runbook re-run by a scheduler under -ErrorAction Stop' {
    It 'saves every paid task despite a refusal and a blank line, fails only at its end, pays nothing more on re-runs, and goes green once the budget allows' {
        $tag = New-TestId 'sched'
        $journal = Join-Path $Work "$tag.jsonl"
        $folder = Join-Path $Work $tag
        # Four prompts at $0.20 under $0.50: two fit. Row 2 is blank.
        $prompts = "$tag a", '   ', "$tag b", "$tag c", "$tag d"

        $first = Invoke-Runbook -Prompts $prompts -Journal $journal -Folder $folder -MaximumCost 0.50

        $first.Outcome.FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete,*'
        $first.Outcome.Exception.Message | Should -BeLike "*is not done: 2 of 4 request(s) saved; 2 refused by -MaximumCost (not sent).*Get-ZAiJournal '$journal' -State Refused lists them.*"
        $first.Outcome.ErrorDetails.RecommendedAction | Should -BeLike '*raise -MaximumCost*'
        @(Get-EmulatorSubmittedTask $tag).Count | Should -Be 2
        @(Get-ChildItem $folder -Filter *.mp4).Count | Should -Be 2
        @($first.Warnings | Where-Object { $_ -like 'Skipped 1 blank input line(s) (row 2)*' }).Count | Should -Be 1
        @($first.Warnings | Where-Object { $_ -like '*over -MaximumCost $0.50. The journal records it*' }).Count | Should -Be 2
        $summary = Get-ZAiJournal $journal -Summary
        $summary.Saved | Should -Be 2
        $summary.Refused | Should -Be 2
        $summary.EstimatedSpend | Should -Be 0.40

        $second = Invoke-Runbook -Prompts $prompts -Journal $journal -Folder $folder -MaximumCost 0.50

        $second.Outcome.FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete,*'
        @(Get-EmulatorSubmittedTask $tag).Count | Should -Be 2
        @($second.Warnings | Where-Object { $_ -like '*(refused in an earlier run too).' }).Count | Should -Be 2
        @(Get-Content $journal | Where-Object { $_ -like '*"type":"refused"*' }).Count | Should -Be 2

        $third = Invoke-Runbook -Prompts $prompts -Journal $journal -Folder $folder -MaximumCost 1.00

        $third.Outcome | Should -Be 'green'
        $submitted = @(Get-EmulatorSubmittedTask $tag)
        $submitted.Count | Should -Be 4
        @(Get-ChildItem $folder -Filter *.mp4).Count | Should -Be 4
        (Get-ZAiJournal $journal -Summary).Saved | Should -Be 4
        @(Get-EmulatorSubmittedTask '   ').Count | Should -Be 0
    }

    It 'names the columns a prompt can come from when an input row has none of them' {
        $caught = $null
        try { [pscustomobject]@{ Ticket = 'A fox'; Owner = 'me' } | Start-ZAiVideoGeneration -WhatIf -ErrorAction Stop }
        catch { $caught = $_ }

        $caught.Exception.Message | Should -BeLike '*-Prompt takes text, or input rows with a Prompt, ImageUrl or Image column; this row has the columns Ticket, Owner.*ForEach-Object Ticket*'
    }
}

Describe 'Commands sharing a journal' {
    It 'share its budget: three thread jobs with -MaximumCost 1.00 accept five $0.20 tasks between them' {
        $tag = New-TestId 'shared budget'
        $journal = Join-Path $Work "$tag.jsonl"
        $module = $env:ZAI_TEST_MODULE
        1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            Connect-ZAi -ApiKey (ConvertTo-SecureString $using:Key -AsPlainText -Force) -BaseUri $using:Url -MaxRetries 0 -Scope Runspace
            $job = $_
            1..10 | ForEach-Object { "$($using:tag) job $job prompt $_" } |
                Start-ZAiVideoGeneration -Journal $using:journal -MaximumCost 1.00 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        }

        @(Get-EmulatorSubmittedTask $tag).Count | Should -Be 5
        $summary = Get-ZAiJournal $journal -Summary
        $summary.EstimatedSpend | Should -Be 1.00
        $summary.Refused | Should -Be 25
    }
}
