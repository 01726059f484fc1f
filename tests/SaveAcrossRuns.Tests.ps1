# Save-ZAiMedia across runs, commands and folders (issue 24), through the user's path: the emulator, a journal and
# real files. Save decides by its own -Path, -Kind and -Force; the journal only says what is where.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator -Extra @{ MaxRetries = 0 }

    function Get-ApiRequestCount { @(Get-EmulatorRequest | Where-Object rawTarget -NotLike '*_emulator*').Count }

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("zai-across-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory $Work | Out-Null
}

AfterAll {
    Set-EmulatorSubmission -Reset | Out-Null
    Disconnect-ZAi
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A finished journal saved into another folder' {
    BeforeAll {
        Set-EmulatorSubmission -Reset | Out-Null
        $script:tag = New-TestId 'across'
        $script:journal = Join-Path $Work "$tag.jsonl"
        $script:A = Join-Path $Work "$tag-A"
        $script:first = @("$tag one", "$tag two" | Start-ZAiVideoGeneration -Journal $journal | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path $A)
    }

    It 'copies the files into -Path without a request, names them there, and records them' {
        $B = Join-Path $Work "$tag-B"
        $before = Get-ApiRequestCount

        $files = @(Get-ZAiJournal $journal | Wait-ZAiAsyncResult | Save-ZAiMedia -Path $B)

        Get-ApiRequestCount | Should -Be $before
        $files.Count | Should -Be 4
        $files.DirectoryName | Sort-Object -Unique | Should -Be (Get-Item $B).FullName
        ($files.Name | Sort-Object) | Should -Be ($first.Name | Sort-Object)
        $files.Downloaded | Should -Not -Contain $true
        foreach ($file in $files) { ($file | Get-FileHash).Hash | Should -Be (Get-FileHash (Join-Path $A $file.Name)).Hash }
        $saved = @(Get-Content $journal | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object type -EQ 'saved')
        @($saved | Where-Object { $_.path.StartsWith($B) }).Count | Should -Be 4
        $saved.sha256 | Should -Not -Contain $null
    }

    It '-Kind Video outputs only the videos' {
        $files = @(Get-ZAiJournal $journal | Wait-ZAiAsyncResult | Save-ZAiMedia -Path $A -Kind Video)

        $files.Count | Should -Be 2
        $files.MediaKind | Sort-Object -Unique | Should -Be 'Video'
    }

    It '-Force downloads again: one GET per task for its links, no ZAiNoMedia' {
        $before = Get-ApiRequestCount
        $errors = $null

        $files = @(Get-ZAiJournal $journal | Wait-ZAiAsyncResult | Save-ZAiMedia -Path $A -Force -ErrorVariable errors)

        $errors.Count | Should -Be 0
        $files.Count | Should -Be 4
        $files.Downloaded | Should -Not -Contain $false
        $requests = @(Get-EmulatorRequest | Where-Object rawTarget -NotLike '*_emulator*' | Select-Object -Skip $before)
        @($requests | Where-Object rawTarget -Like '*async-result*').Count | Should -Be 2
        @($requests | Where-Object rawTarget -Like '*/media/*').Count | Should -Be 4
    }

    It 're-run into the same folder sends no request at all' {
        $before = Get-ApiRequestCount

        $files = @("$tag one", "$tag two" | Start-ZAiVideoGeneration -Journal $journal | Wait-ZAiAsyncResult | Save-ZAiMedia -Path $A)

        Get-ApiRequestCount | Should -Be $before
        $files.Count | Should -Be 4
        $files.Downloaded | Should -Not -Contain $true
    }
}

Describe 'A template name taken by an earlier task''s file' {
    It 'saves the new video under a distinct name and says why' {
        Set-EmulatorSubmission -Reset | Out-Null
        $tag = New-TestId 'taken'
        $out = Join-Path $Work $tag
        New-Item -ItemType Directory $out | Out-Null
        Set-Content (Join-Path $out "$tag full test.mp4") 'an earlier task'
        $warnings = $null

        $file = "$tag full test" | Start-ZAiVideoGeneration | Wait-ZAiAsyncResult -PollIntervalSec 0.1 |
            Save-ZAiMedia -Path $out -Kind Video -NameTemplate '{Prompt}' -WarningVariable warnings -WarningAction SilentlyContinue

        $file.Downloaded | Should -BeTrue
        $file.Name | Should -Be "$tag full test-$($file.TaskId).mp4"
        $file.Length | Should -BeGreaterThan 100
        Get-Content (Join-Path $out "$tag full test.mp4") | Should -Be 'an earlier task'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*$tag full test.mp4' exists, and nothing shows it is the video 0 of task*saved as '$tag full test-$($file.TaskId)'*-Journal*"
    }
}

Describe 'Links that expired before the files were saved' {
    It 'are recorded in the journal: the task is Expired, with the reason, a warning now and the batch reported at its end' {
        Set-EmulatorSubmission -Template @{ mediaFaults = @{ '*' = @(@{ type = 'status'; status = 403 }, @{ type = 'status'; status = 403 }) } } | Out-Null
        $tag = New-TestId 'expired'
        $journal = Join-Path $Work "$tag.jsonl"
        $errors = $null

        "$tag p" | Start-ZAiVideoGeneration -Journal $journal | Wait-ZAiAsyncResult -PollIntervalSec 0.1 |
            Save-ZAiMedia -Path (Join-Path $Work $tag) -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        Set-EmulatorSubmission -Reset | Out-Null

        # Under -ErrorAction Stop a runbook goes on with its other files: the expiry is a warning per file, and
        # the run's end says the batch is not done.
        @($warnings | Where-Object { "$_" -like '*has expired*The journal records the task as Expired*' }).Count | Should -Be 2
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete,*'
        "$($errors[0])" | Should -BeLike '*1 expired before they were saved*'
        $entry = Get-ZAiJournal $journal
        $entry.State | Should -Be 'Expired'
        $entry.Reason | Should -BeLike '*has expired*(HTTP 403)*'
        @(Get-Content $journal | Where-Object { $_ -like '*"type":"expired"*' }).Count | Should -Be 1
    }
}

Describe 'A folder that cannot be written' {
    It 'is one early error naming the folder, not one per file' -Skip:(-not (Test-Path '/sys/kernel')) {
        Set-EmulatorSubmission -Reset | Out-Null
        $ids = 1..2 | ForEach-Object { New-TestId 'ro' }
        New-EmulatorTask @($ids | ForEach-Object { @{ id = $_ } }) | Out-Null
        $errors = $null

        # /sys refuses new files even to root.
        $files = @(Get-ZAiAsyncResult $ids | Save-ZAiMedia -Path '/sys' -ErrorVariable errors -ErrorAction SilentlyContinue)

        $files.Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiMediaWriteFailed,*'
        "$($errors[0])" | Should -BeLike "Cannot save into the folder '/sys':*Give -Path a folder you can write to*"
        "$($errors[0])" | Should -Not -BeLike '*.partial*'
        foreach ($id in $ids) { (Get-EmulatorTask $id).mediaRequestCount | Should -Be 0 }
    }
}

Describe 'Chat results in a mixed pipeline' {
    It 'are no error under -ErrorAction Stop: said once, and the media of the others is saved' {
        Set-EmulatorSubmission -Reset | Out-Null
        $tag = New-TestId 'mixed'
        $chat = Start-ZAiChatCompletion -Prompt "$tag hello" | Wait-ZAiAsyncResult -PollIntervalSec 0.1
        $video = Start-ZAiVideoGeneration -Prompt "$tag video" | Wait-ZAiAsyncResult -PollIntervalSec 0.1
        $warnings = $null

        $files = @($chat, $video, $chat | Save-ZAiMedia -Path (Join-Path $Work $tag) -Kind Video -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue)

        $files.Count | Should -Be 1
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*is a chat completion: it has no media to save*Content*'
    }
}
