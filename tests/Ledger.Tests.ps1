# The journal as the runbook's ledger, through the user's path: a stop downstream, a wait with no limit, a failed
# task, names across re-runs, a planted link, an answer lost after the API created the task, thread jobs, and a
# re-run of a finished journal. What the module learns about the account's limit belongs to the connection made
# in BeforeAll, so it stays out of other test files.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    $script:LedgerUrl = Get-TestEmulatorUrl
    Connect-ZAi -ApiKey (ConvertTo-SecureString (Get-TestApiKey) -AsPlainText -Force) -BaseUri $LedgerUrl -MaxRetries 0

    function Set-Account {
        <# The account's limit of tasks in flight, how a task runs (-Polls: it finishes at its first poll after that
           many, so room frees on the client's events; -RunMs: after that long), and which prompts fail. #>
        param([int] $Limit = 0, [int] $RunMs = 0, [int] $Polls = 0, [string[]] $FailPrompts = @(), [int] $CreatedFaultPercent = 0)
        $body = @{ concurrencyLimit = $Limit; submission = @{ processingMs = $RunMs; processingPolls = $Polls; mediaSize = 2048 }; failPrompts = @($FailPrompts); createdFaultPercent = $CreatedFaultPercent } | ConvertTo-Json -Depth 5
        Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/config" -ContentType 'application/json' -Body $body | Out-Null
    }

    function Get-AccountStats { Invoke-RestMethod -Uri "$(Get-EmulatorRoot)/_emulator/config" }

    function Get-Line {
        param([string] $Path, [string] $Type)
        @(Get-Content $Path | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object type -EQ $Type)
    }

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("zai-ledger-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory $Work | Out-Null
}

AfterAll {
    Set-Account
    Set-EmulatorSubmission -Reset | Out-Null
    Disconnect-ZAi
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A stop downstream' {
    It 'Select-Object -First 1 sends nothing more, journals every task the API accepted, and returns promptly' {
        # At a limit of 1 a result reaches the end of the pipeline while most prompts still wait for room. Tasks run
        # 0.8 s here, not until polled: after the stop nothing polls them, and the check below needs them to end.
        Set-Account -Limit 1 -RunMs 800
        # Tasks an earlier test left running would hold the account's one slot: the first prompt would wait behind
        # them while the queue fills, and the first file could reach Select only after every prompt was sent.
        Wait-EmulatorCondition { (Get-AccountStats).tasksInFlight -eq 0 }
        $tag = New-TestId 'first'
        $journal = Join-Path $Work "$tag.jsonl"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $script:firstAt = $null
        $script:createdAtFirst = $null

        $first = @(1..20 | ForEach-Object { "$tag p $_" } | Start-ZAiVideoGeneration -Journal $journal |
                Wait-ZAiAsyncResult -PollIntervalSec 0.2 | Save-ZAiMedia -Path (Join-Path $Work $tag) |
                ForEach-Object { if ($null -eq $script:firstAt) { $script:firstAt = $watch.Elapsed; $script:createdAtFirst = @(Get-EmulatorSubmittedTask $tag).Count }; $_ } |
                Select-Object -First 1)
        $returned = $watch.Elapsed

        $first.Count | Should -Be 1
        # The old code went on for about 7 s after the first file, paying for two more tasks.
        ($returned - $firstAt).TotalSeconds | Should -BeLessThan 2
        # Every task the queue could still free room for has finished: had a waiting prompt survived the stop, it would have been sent by now.
        Wait-EmulatorCondition { (Get-AccountStats).tasksInFlight -eq 0 }
        $created = @(Get-EmulatorSubmittedTask $tag)
        # At most a send already under way when the first file reached Select (its answer is recorded, not abandoned).
        $created.Count | Should -BeLessOrEqual ($createdAtFirst + 1)
        $created.Count | Should -BeLessThan 20
        @(Get-Line $journal 'accepted').taskId | Sort-Object | Should -Be ($created.id | Sort-Object)
        Test-Path "$journal.lock" | Should -BeFalse
    }
}

Describe 'A queue without a time limit' {
    It '-QueueTimeoutSec 0 waits for room as long as it takes, and leaves no room taken for later batches' {
        Set-Account -Limit 1 -Polls 1
        $tag = New-TestId 'q0'
        $errors = $null

        $first = @("$tag a", "$tag b", "$tag c" | Start-ZAiVideoGeneration -QueueTimeoutSec 0 -ErrorVariable errors | Wait-ZAiAsyncResult -PollIntervalSec 0.1)
        $second = @("$tag d", "$tag e" | Start-ZAiVideoGeneration -QueueTimeoutSec 0 -ErrorVariable +errors | Wait-ZAiAsyncResult -PollIntervalSec 0.1)

        $errors.Count | Should -Be 0
        $first.Status | Should -Be @('Success', 'Success', 'Success')
        $second.Status | Should -Be @('Success', 'Success')
        @(Get-EmulatorSubmittedTask $tag).Count | Should -Be 5
    }
}

Describe 'A task that fails' {
    BeforeAll {
        Set-Account -FailPrompts @('BOOM')
        $script:tag = New-TestId 'fail'
        $script:journal = Join-Path $Work "$tag.jsonl"
        $script:folder = Join-Path $Work $tag
        $script:prompts = "$tag one", "$tag BOOM", "$tag two", "$tag three"
        $script:Run = {
            param([switch] $RetryFailed)
            $ErrorActionPreference = 'Stop'
            $prompts | Start-ZAiVideoGeneration -Journal $journal -RetryFailed:$RetryFailed -WarningVariable script:warnings -WarningAction SilentlyContinue |
                Wait-ZAiAsyncResult -PollIntervalSec 0.1 -WarningVariable script:waitWarnings -WarningAction SilentlyContinue |
                Save-ZAiMedia -Path $folder -OutVariable script:files
        }
    }

    It 'under -ErrorAction Stop saves every other prompt, names the failed one, records it, and fails at its end' {
        $failure = $null
        try { & $Run } catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete*'
        "$failure" | Should -BeLike "*is not done: 3 of 4 request(s) saved; 1 failed.*-State Failed lists them.*"
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*-RetryFailed*'
        ($files | Where-Object MediaKind -EQ 'Video').Prompt | Sort-Object | Should -Be @("$tag one", "$tag three", "$tag two")
        @($waitWarnings).Count | Should -Be 1
        "$($waitWarnings[0])" | Should -BeLike "Prompt '$tag BOOM': *The journal records it*"
        $failed = @(Get-Line $journal 'finished' | Where-Object status -EQ 'FAIL')
        $failed.Count | Should -Be 1
        (Get-ZAiJournal $journal -State Failed).Prompt | Should -Be "$tag BOOM"
    }

    It 'lets a re-run pay nothing twice, warn of the known failure, and still fail at its end' {
        $failure = $null
        try { & $Run } catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete*'
        ($files | Where-Object MediaKind -EQ 'Video').Prompt | Sort-Object | Should -Be @("$tag one", "$tag three", "$tag two")
        @(Get-EmulatorSubmission "$tag BOOM").Count | Should -Be 1
        @(Get-EmulatorSubmittedTask $tag).Count | Should -Be 4
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "Row 2 of the input (prompt '$tag BOOM'): its task * failed in an earlier run*-RetryFailed*"
        (Get-ZAiJournal $journal -Summary | Select-Object Saved, Failed, Total) | Should -BeLike '*Saved=3; Failed=1; Total=4*'
    }

    It '-RetryFailed pays for the failed prompt once more, under a new request id' {
        $failure = $null
        try { & $Run -RetryFailed } catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete*'
        $sent = @(Get-EmulatorSubmission "$tag BOOM")
        $sent.Count | Should -Be 2
        $sent[0].Json.request_id | Should -Not -Be $sent[1].Json.request_id
        (Get-ZAiJournal $journal -State Failed).Attempts | Should -Be 2
    }
}

Describe 'File names across re-runs' {
    It 'keeps each name with its task when the same prompt runs twice and finishes in another order' {
        Set-Account
        $tag = New-TestId 'names'
        $journal = Join-Path $Work "$tag.jsonl"
        $folder = Join-Path $Work $tag
        $long = "$tag " + ('一只在月光下奔跑的狐狸穿过雪原' * 10)

        $run1 = @("$tag same", "$tag same", $long, $long | Start-ZAiVideoGeneration -Journal $journal | Wait-ZAiAsyncResult -PollIntervalSec 0.1 |
                Save-ZAiMedia -Path $folder -NameTemplate '{Prompt}' -Kind Video)
        # The second run meets the tasks in the opposite order.
        $entries = @(Get-ZAiJournal $journal)
        [array]::Reverse($entries)
        $run2 = @($entries | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path $folder -NameTemplate '{Prompt}' -Kind Video)

        $run1.Count | Should -Be 4
        @($run1.FullName | Sort-Object -Unique).Count | Should -Be 4
        @(Get-ChildItem $folder -File).Count | Should -Be 4
        foreach ($file in $run2) {
            ($run1 | Where-Object TaskId -EQ $file.TaskId).FullName | Should -Be $file.FullName
        }
        $run2.Downloaded | Should -Not -Contain $true
    }
}

Describe 'The lock file' {
    It 'refuses a planted link and leaves its target whole' {
        $tag = New-TestId 'link'
        $journal = Join-Path $Work "$tag.jsonl"
        $victim = Join-Path $Work "$tag-victim.txt"
        Set-Content $victim 'precious'
        New-Item -ItemType SymbolicLink -Path "$journal.lock" -Target $victim | Out-Null
        $failure = $null

        try { "$tag p" | Start-ZAiVideoGeneration -Journal $journal -ErrorAction Stop } catch { $failure = $_ }

        $failure.FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidJournal*'
        "$failure" | Should -BeLike '*symbolic link*'
        Get-Content $victim | Should -Be 'precious'
        @(Get-EmulatorSubmittedTask $tag).Count | Should -Be 0
    }
}

Describe 'An answer lost after the API created the task' {
    It 'is reported once with its request id, and later runs send nothing for it' {
        Set-Account
        $tag = New-TestId 'lost'
        $journal = Join-Path $Work "$tag.jsonl"
        Set-EmulatorSubmission -Fault @(@{ type = 'statusAfterCreate'; status = 502 }) | Out-Null
        $errors = $null

        # Run 1: the gateway answers 502 after the task was created (retries are off in this file).
        "$tag p" | Start-ZAiVideoGeneration -Journal $journal -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors.Count | Should -Be 1
        # Run 2: the same request id again: Z.AI already has it, so the task id is unknown for good.
        "$tag p" | Start-ZAiVideoGeneration -Journal $journal -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $requestId = (Get-Line $journal 'submit')[0].requestId
        $errors.Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiTaskIdLost,*'
        "$($errors[0])" | Should -BeLike "*'$requestId'*Z.AI console*"
        # The run's end: the batch is not done, one request is unknown for good.
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete*'
        "$($errors[1])" | Should -BeLike '*1 unknown (billed, task id never received)*-State Unknown lists them*'
        # Run 3: nothing sent, one warning, and the run's end says the batch is not done.
        $warnings = $null
        "$tag p" | Start-ZAiVideoGeneration -Journal $journal -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete*'
        $warnings.Count | Should -Be 1
        @(Get-EmulatorSubmission "$tag p").Count | Should -Be 2
        @(Get-EmulatorSubmittedTask $tag).Count | Should -Be 1
        (Get-ZAiJournal $journal).State | Should -Be 'Unknown'
    }
}

Describe 'Thread jobs' {
    It 'share one journal in one process' {
        Set-Account
        $tag = New-TestId 'jobs'
        $journal = Join-Path $Work "$tag.jsonl"

        $jobs = 1..3 | ForEach-Object {
            Start-ThreadJob -ArgumentList $_, $tag, $journal, $env:ZAI_TEST_MODULE -ScriptBlock {
                param($n, $tag, $journal, $module)
                Import-Module $module
                "$tag job $n a", "$tag job $n b" | Start-ZAiVideoGeneration -Journal $journal -ErrorAction Stop
            }
        }
        $results = @($jobs | Wait-Job -Timeout 60 | Receive-Job -ErrorVariable errors -ErrorAction SilentlyContinue)
        $jobs | Remove-Job -Force

        $errors.Count | Should -Be 0
        $results.Count | Should -Be 6
        @(Get-Line $journal 'accepted').Count | Should -Be 6
        Test-Path "$journal.lock" | Should -BeFalse
    }
}

Describe 'One Wait over tasks of two journals' {
    It 'writes each task''s end to the journal it came from' {
        Set-Account
        $tag = New-TestId 'twoj'
        $first = Join-Path $Work "$tag-first.jsonl"
        $second = Join-Path $Work "$tag-second.jsonl"
        $tasks = @("$tag a" | Start-ZAiImageGeneration -Journal $first) + @("$tag b" | Start-ZAiImageGeneration -Journal $second)

        $done = @($tasks | Wait-ZAiAsyncResult -PollIntervalSec 0.1)

        $done.Status | Should -Be @('Success', 'Success')
        (Get-ZAiJournal $first).State | Should -Be 'Succeeded'
        (Get-ZAiJournal $second).State | Should -Be 'Succeeded'
        (Get-ZAiJournal $first).Prompt | Should -Be "$tag a"
        (Get-ZAiJournal $second).Prompt | Should -Be "$tag b"
    }
}

Describe 'A re-run of a finished journal' {
    It 'makes no request at all and outputs every saved file again' {
        Set-Account
        $tag = New-TestId 'done'
        $journal = Join-Path $Work "$tag.jsonl"
        $folder = Join-Path $Work $tag
        $prompts = 1..5 | ForEach-Object { "$tag p $_" }
        $saved = @($prompts | Start-ZAiVideoGeneration -Journal $journal | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path $folder)
        $before = @(Get-EmulatorRequest | Where-Object rawTarget -NotLike '*_emulator*').Count

        $again = @($prompts | Start-ZAiVideoGeneration -Journal $journal | Wait-ZAiAsyncResult | Save-ZAiMedia -Path $folder)

        @(Get-EmulatorRequest | Where-Object rawTarget -NotLike '*_emulator*').Count | Should -Be $before
        $again.Count | Should -Be $saved.Count
        ($again.FullName | Sort-Object) | Should -Be ($saved.FullName | Sort-Object)
        $again.Downloaded | Should -Not -Contain $true
        (Get-ZAiJournal $journal -Summary).Saved | Should -Be 5
    }

    It 'resumes the next day from Get-ZAiJournal, naming files by prompt' {
        Set-Account
        $tag = New-TestId 'resume'
        $journal = Join-Path $Work "$tag.jsonl"
        $folder = Join-Path $Work $tag
        "$tag alpha", "$tag beta" | Start-ZAiVideoGeneration -Journal $journal | Out-Null

        $files = @(Get-ZAiJournal $journal | Where-Object State -EQ Submitted | Wait-ZAiAsyncResult -PollIntervalSec 0.1 |
                Save-ZAiMedia -Path $folder -NameTemplate '{Prompt}' -Kind Video)

        ($files.Name | Sort-Object) | Should -Be @("$tag alpha.mp4", "$tag beta.mp4")
        (Get-ZAiJournal $journal).State | Should -Be @('Saved', 'Saved')
    }
}
