# The README runbook under faults: 20 prompts at an account limit of 3, 30% of accepted submissions answered with
# a 502 or a reset after the task was created (the child retries, MaxRetries 2), a few prompts whose task fails,
# and the child pwsh killed at 10 moments picked by events (requests, accepted tasks, media served) at which the
# emulator holds the batch until the kill, re-run after each kill, then run to completion. Like Batch.Tests.ps1 it connects through 'localhost', so what the
# module learns about this account's limit stays out of other test files.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    $script:FaultUrl = (Get-TestEmulatorUrl) -replace '127\.0\.0\.1', 'localhost'

    function Set-Account {
        param([int] $Limit = 0, [int] $RunMs = 0, [string[]] $FailPrompts = @(), [int] $CreatedFaultPercent = 0)
        $body = @{ concurrencyLimit = $Limit; submission = @{ processingMs = $RunMs; mediaSize = 2048 }; failPrompts = @($FailPrompts); createdFaultPercent = $CreatedFaultPercent } | ConvertTo-Json -Depth 5
        Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/config" -ContentType 'application/json' -Body $body | Out-Null
    }

    function Start-Runbook {
        <# One run of the README runbook in a child pwsh. Each error record is appended, as it comes, to $ErrorLog as
           one JSON line tagged with $Run, so the errors of a run that is killed are kept too. #>
        param([string[]] $Prompts, [string] $Journal, [string] $Folder, [string] $ErrorLog, [int] $Run)
        $promptList = ($Prompts | ForEach-Object { "'$_'" }) -join ','
        $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$env:ZAI_TEST_MODULE'
Connect-ZAi -ApiKey (ConvertTo-SecureString '$(Get-TestApiKey)' -AsPlainText -Force) -BaseUri '$FaultUrl' -MaxRetries 2
& { $promptList | Start-ZAiVideoGeneration -Journal '$Journal' | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path '$Folder' } 2>&1 3>&1 |
    ForEach-Object {
        if (`$_ -is [System.Management.Automation.ErrorRecord]) {
            Add-Content -LiteralPath '$ErrorLog' -Value (@{ run = $Run; kind = 'error'; id = `$_.FullyQualifiedErrorId; message = "`$_"; target = "`$(`$_.TargetObject)" } | ConvertTo-Json -Compress)
        }
        elseif (`$_ -is [System.Management.Automation.WarningRecord]) {
            Add-Content -LiteralPath '$ErrorLog' -Value (@{ run = $Run; kind = 'warning'; id = ''; message = "`$_"; target = '' } | ConvertTo-Json -Compress)
        }
    }
"@
        $command = @(Get-PwshCommand)
        $info = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($a) }
        $info.UseShellExecute = $false
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        [Diagnostics.Process]::Start($info)
    }

    function Get-ServedHash {
        <# The SHA-256 of the files the emulator serves for a task (Video and Cover), each fetched in one piece. #>
        param([string] $TaskId)
        $result = Invoke-RestMethod -Uri "$(Get-TestEmulatorUrl)/paas/v4/async-result/$TaskId" -Headers @{ Authorization = "Bearer $(Get-TestApiKey)" }
        $hashes = @{}
        foreach ($kind in 'Video', 'Cover') {
            $url = if ($kind -eq 'Video') { $result.video_result[0].url } else { $result.video_result[0].cover_image_url }
            $copy = Join-Path $Work (New-TestId 'served')
            Invoke-WebRequest -Uri $url -OutFile $copy
            $hashes[$kind] = (Get-FileHash -LiteralPath $copy -Algorithm SHA256).Hash
            Remove-Item -LiteralPath $copy
        }
        $hashes
    }

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("zai-faults-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory $Work | Out-Null
}

AfterAll {
    Set-Account
    Set-EmulatorSubmission -Reset | Out-Null
    # ZAI_FAULTS_KEEP=1 keeps the journal, error log and files of the run for a look afterwards.
    if (-not $env:ZAI_FAULTS_KEEP) { Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue } else { Write-Host "Kept $Work" }
}

Describe 'The runbook killed 10 times under faults' {
    BeforeAll {
        $script:tag = New-TestId 'faults'
        $script:journal = Join-Path $Work "$tag.jsonl"
        $script:folder = Join-Path $Work $tag
        $script:errorLog = Join-Path $Work "$tag.errors.jsonl"
        $script:prompts = 1..20 | ForEach-Object { if ($_ -in 4, 11, 17) { "$tag p{0:d2} BOOM" -f $_ } else { "$tag p{0:d2}" -f $_ } }
        Set-Account -Limit 3 -RunMs 500 -FailPrompts @('BOOM') -CreatedFaultPercent 30
        $script:kills = [Collections.Generic.List[string]]::new()
        $script:stderr = [Collections.Generic.List[string]]::new()

        # Each kill falls at an event of the run under way, never at a time: the n-th request to arrive, the n-th task
        # accepted, or the n-th media file served. The emulator holds every request after that event until the child
        # is killed (POST /_emulator/hold), so the batch cannot run past the kill however loaded the machine is, and
        # the kill always lands mid-batch; the killed child's held requests are then dropped unanswered. Accepted
        # counts come first, while most prompts are still unsubmitted.
        $script:moments = @(
            @{ On = 'request'; Count = 1 }, @{ On = 'accepted'; Count = 1 }, @{ On = 'request'; Count = 3 },
            @{ On = 'accepted'; Count = 2 }, @{ On = 'media'; Count = 1 }, @{ On = 'request'; Count = 2 },
            @{ On = 'accepted'; Count = 1 }, @{ On = 'media'; Count = 1 }, @{ On = 'request'; Count = 1 },
            @{ On = 'media'; Count = 1 })
        $run = 0
        try {
            foreach ($moment in $moments) {
                $run++
                $what = "$($moment.On) +$($moment.Count)"
                Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/hold" -ContentType 'application/json' -Body (@{ on = $moment.On; count = $moment.Count } | ConvertTo-Json) | Out-Null
                $child = Start-Runbook -Prompts $prompts -Journal $journal -Folder $folder -ErrorLog $errorLog -Run $run
                try {
                    # Waits on the emulator's event (a long poll), and on the child's exit, which would mean the
                    # batch ended before the event: reported, and the test fails.
                    $deadline = [DateTime]::UtcNow.AddSeconds(60)
                    $held = $false
                    while (-not $held -and -not $child.HasExited) {
                        if ([DateTime]::UtcNow -gt $deadline) { throw "Run $run did not reach '$what' within 60 s." }
                        $held = (Invoke-RestMethod -Uri "$(Get-EmulatorRoot)/_emulator/hold?waitMs=500").holding
                    }
                    if ($held -and -not $child.HasExited) { $child.Kill($true); $kills.Add("run ${run}: held at '$what', killed") }
                    else { $kills.Add("run ${run}: exited before '$what'") }
                    $child.WaitForExit(10000) | Out-Null
                }
                finally {
                    if (-not $child.HasExited) { $child.Kill($true) }
                    Invoke-RestMethod -Method Delete -Uri "$(Get-EmulatorRoot)/_emulator/hold" | Out-Null
                }
                $stderr.Add($child.StandardError.ReadToEnd())
            }
        }
        finally { Invoke-RestMethod -Method Delete -Uri "$(Get-EmulatorRoot)/_emulator/hold" | Out-Null }

        # The last run goes to the end.
        $run++
        $script:finalRun = $run
        $child = Start-Runbook -Prompts $prompts -Journal $journal -Folder $folder -ErrorLog $errorLog -Run $run
        try { $script:finalExited = $child.WaitForExit(60000) }
        finally { if (-not $child.HasExited) { $child.Kill($true) } }
        $stderr.Add($child.StandardError.ReadToEnd())
        Write-Host ($kills -join "`n")

        $script:entries = @(Get-ZAiJournal $journal)
        $script:errors = @(if (Test-Path $errorLog) { Get-Content $errorLog | ForEach-Object { $_ | ConvertFrom-Json } })
        $script:tasks = @(Get-EmulatorSubmittedTask $tag)
    }

    It 'killed the child at each of its 10 moments, held there mid-batch, and the last run finished' {
        $kills | Should -Be @(1..10 | ForEach-Object { "run ${_}: held at '$($moments[$_ - 1].On) +$($moments[$_ - 1].Count)', killed" })
        $finalExited | Should -BeTrue
        ($stderr -join '').Trim() | Should -BeNullOrEmpty
    }

    It 'met the faults it was built for' {
        # The seeded 30% of accepted submissions whose answer was lost after the task was created.
        @(Get-EmulatorRequest -PathContains '/generations' | Where-Object status -EQ 502).Count | Should -BeGreaterThan 0
        @($tasks | Where-Object { $_.submittedBody -like '*BOOM*' }).Count | Should -Be 3
    }

    It 'paid for every prompt exactly once' {
        $perPrompt = $tasks | Group-Object { ($_.submittedBody | ConvertFrom-Json).prompt }
        @($perPrompt | Where-Object Count -NE 1 | ForEach-Object { "$($_.Name) x$($_.Count)" }) | Should -BeNullOrEmpty
        ($perPrompt.Name | Sort-Object) | Should -Be ($prompts | Sort-Object)
    }

    It 'ends every prompt Saved, Failed or Unknown in the journal' {
        ($entries.Prompt | Sort-Object) | Should -Be ($prompts | Sort-Object)
        @($entries | Where-Object State -NotIn 'Saved', 'Failed', 'Unknown' | ForEach-Object { "$($_.Prompt): $($_.State)" }) | Should -BeNullOrEmpty
        # A failing prompt ends Failed, or Unknown when its task id was lost (a fault, or a kill before the answer was journaled).
        @($entries | Where-Object { $_.Prompt -like '*BOOM' -and $_.State -notin 'Failed', 'Unknown' } | ForEach-Object { "$($_.Prompt): $($_.State)" }) | Should -BeNullOrEmpty
        @($entries | Where-Object { $_.Prompt -notlike '*BOOM' -and $_.State -notin 'Saved', 'Unknown' } | ForEach-Object { "$($_.Prompt): $($_.State)" }) | Should -BeNullOrEmpty
        @($entries | Where-Object State -EQ 'Saved').Count | Should -BeGreaterThan 0
        @($entries | Where-Object State -EQ 'Unknown' | Where-Object TaskId).Count | Should -Be 0
    }

    It 'saved no wrong file: each one holds what the emulator serves for its task, and none is foreign or left over' {
        $checked = 0
        foreach ($entry in $entries | Where-Object State -EQ 'Saved') {
            $served = Get-ServedHash $entry.TaskId
            foreach ($file in $entry.Files) {
                # Save-ZAiMedia's default names: <task id>.mp4 and <task id>.cover.jpg.
                $kind = if ([IO.Path]::GetFileName($file) -like '*.cover.*') { 'Cover' } else { 'Video' }
                (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash | Should -Be $served[$kind] -Because "'$file' is a file of task $($entry.TaskId)"
                $checked++
            }
        }
        $checked | Should -BeGreaterThan 0
        $listed = @($entries | ForEach-Object { $_.Files } | ForEach-Object { [IO.Path]::GetFullPath($_) } | Sort-Object)
        @(Get-ChildItem $folder -File | Where-Object Name -NotLike '*.partial*').FullName | Sort-Object | Should -Be $listed
    }

    # A kill after Save-ZAiMedia journaled a task's video but before its cover: the entry is Saved with one file of the
    # two its finished line counted, so the re-run fetches the task again and saves the cover.
    It 'saved both files (video and cover) of every Saved prompt' {
        @($entries | Where-Object State -EQ 'Saved' | Where-Object { @($_.Files).Count -ne 2 } | ForEach-Object { "$($_.Prompt): $(@($_.Files).Count) file(s)" }) | Should -BeNullOrEmpty
    }

    It 'reports an error for a prompt in one run only, and warns of every Failed or Unknown prompt in the last run' {
        $requestToPrompt = @{}
        foreach ($entry in $entries) { $requestToPrompt[$entry.RequestId] = $entry.Prompt }
        $runsOf = @{}
        # The end-of-run report (ZAiBatchIncomplete) names the journal, not a prompt: every run of an unfinished batch says it.
        foreach ($record in $errors | Where-Object kind -EQ 'error' | Where-Object id -NotLike 'ZAiBatchIncomplete,*') {
            $named = @($prompts | Where-Object { $record.message.Contains($_) -or $record.target.Contains($_) }) +
                @($requestToPrompt.Keys | Where-Object { $record.message.Contains($_) -or $record.target.Contains($_) } | ForEach-Object { $requestToPrompt[$_] })
            @($named | Sort-Object -Unique).Count | Should -Be 1 -Because "error '$($record.message)' names one prompt"
            $prompt = @($named)[0]
            if (-not $runsOf[$prompt]) { $runsOf[$prompt] = [Collections.Generic.HashSet[int]]::new() }
            $runsOf[$prompt].Add([int]$record.run) | Out-Null
        }
        @($runsOf.Keys | Where-Object { $runsOf[$_].Count -gt 1 } | ForEach-Object { "$_ in runs $(@($runsOf[$_]) -join ', ')" }) | Should -BeNullOrEmpty
        # The last run names each Failed or Unknown prompt once: as an error or a warning when it learnt of it, else as a warning
        # about an earlier run (the run that learnt of it may have been killed before its error was written).
        $finalWarnings = @($errors | Where-Object { $_.run -eq $finalRun -and $_.kind -eq 'warning' }).message
        foreach ($entry in $entries | Where-Object State -In 'Failed', 'Unknown') {
            # A task that fails while the run waits for it is a warning too ("Prompt '…': …"): the batch goes on.
            $warned = @($finalWarnings | Where-Object { $_.Contains("(prompt '$($entry.Prompt)')") -or $_.StartsWith("Prompt '$($entry.Prompt)': ") }).Count
            $erred = [int]($runsOf.ContainsKey($entry.Prompt) -and $runsOf[$entry.Prompt].Contains($finalRun))
            $warned + $erred | Should -Be 1 -Because "'$($entry.Prompt)' is $($entry.State)"
        }
    }
}
