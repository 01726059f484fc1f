# What an account owns stays with its connection: two runspaces connected with different keys or base URIs never
# see each other's request ids, task ids or prices; a video effect (no request_id) is never resent once its POST may
# have reached the API; -Verbose names the prompt of each task created. Each runspace here is a [powershell] of this
# process, so the module's statics are shared exactly as in a host that serves several users from one process.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator
    Set-EmulatorSubmission -Reset | Out-Null
    # A second account on the emulator: its tasks and request ids are seen by no other key.
    $script:OtherKey = 'sk-second-account-' + [guid]::NewGuid().ToString('n')
    Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/config" -ContentType 'application/json' -Body (@{ apiKeys = @($OtherKey) } | ConvertTo-Json) | Out-Null

    function New-AccountShell {
        <# A runspace of this process with the module imported and its own connection (-Scope Runspace). #>
        param([string] $Key = (Get-TestApiKey), [string] $BaseUri = (Get-TestEmulatorUrl), [hashtable] $Extra = @{})
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($module, $url, $key, $extra)
                Import-Module $module
                Connect-ZAi -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $url -Scope Runspace @extra
            }).AddArgument($env:ZAI_TEST_MODULE).AddArgument($BaseUri).AddArgument($Key).AddArgument($Extra)
        $shell.Invoke() | Out-Null
        if ($shell.Streams.Error.Count) { throw $shell.Streams.Error[0] }
        $shell.Commands.Clear()
        $shell
    }

    function Invoke-InShell {
        <# Runs a script block in a shell from New-AccountShell; returns its output, with its streams left on the shell. #>
        param([Parameter(Mandatory)][powershell] $Shell, [Parameter(Mandatory)][scriptblock] $Script, [object[]] $Arguments = @())
        $Shell.Commands.Clear()
        $Shell.Streams.ClearStreams()
        $null = $Shell.AddScript($Script)
        foreach ($a in $Arguments) { $null = $Shell.AddArgument($a) }
        $Shell.Invoke()
    }

    function Get-Posts {
        param([string] $PathEnd, [string] $Match)
        @(Get-EmulatorRequest -PathContains $PathEnd | Where-Object { $_.method -eq 'POST' -and $_.rawTarget -like "*$PathEnd" -and $_.body -and $_.body.Contains($Match) })
    }

    $script:Prices = Join-Path $TestDrive 'prices.json'
    '{ "date": "2026-09-01", "source": "our contract", "prices": { "cogvideox-3": 0.5 } }' | Set-Content $Prices
}

AfterAll {
    Set-EmulatorSubmission -Reset | Out-Null
    Disconnect-ZAi
}

Describe 'Request ids, task ids and prices belong to one account' {
    It 'gives each of two runspaces connected with different keys its own task for the same -RequestId and fields' {
        $tag = New-TestId 'two keys'
        $requestId = New-TestId 'req'
        $a = New-AccountShell
        $b = New-AccountShell -Key $OtherKey
        try {
            $send = { param($prompt, $id) Start-ZAiVideoGeneration $prompt -RequestId $id }
            $taskA = (Invoke-InShell $a $send $tag, $requestId)[0]
            $taskB = (Invoke-InShell $b $send $tag, $requestId)[0]
            $b.Streams.Error.Count | Should -Be 0

            $taskB.Id | Should -Not -Be $taskA.Id
            $posts = Get-Posts '/videos/generations' $requestId
            $posts.Count | Should -Be 2
            $posts[0].headers.Authorization | Should -Be "Bearer $(Get-TestApiKey)"
            $posts[1].headers.Authorization | Should -Be "Bearer $OtherKey"
            # B polls as B: its own task is found, A's is not.
            (Invoke-InShell $b { param($id) Get-ZAiAsyncResult $id } $taskB.Id)[0].Id | Should -Be $taskB.Id
            $null = Invoke-InShell $b { param($id) Get-ZAiAsyncResult $id } $taskA.Id
            $b.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'ZAiTaskNotFound,*'
        }
        finally { $a.Dispose(); $b.Dispose() }
    }

    It 'never hands a runspace on another base URI the task another base URI created for the same -RequestId' {
        $tag = New-TestId 'two uris'
        $requestId = New-TestId 'req'
        $a = New-AccountShell
        $b = New-AccountShell -BaseUri ((Get-TestEmulatorUrl) -replace '127\.0\.0\.1', 'localhost')
        try {
            $send = { param($prompt, $id) Start-ZAiVideoGeneration $prompt -RequestId $id }
            $taskA = (Invoke-InShell $a $send $tag, $requestId)[0]
            $fromB = Invoke-InShell $b $send $tag, $requestId

            # The emulator is one account under both names, so it answers the second POST with 1231; a real second
            # base URI is another API. Either way the request reached that base URI's API instead of being answered here.
            $fromB | Should -BeNullOrEmpty
            $b.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'ZAiDuplicateRequest,*'
            "$($b.Streams.Error[0])" | Should -Not -BeLike "*$($taskA.Id)*"
            (Get-Posts '/videos/generations' $requestId).Count | Should -Be 2
        }
        finally { $a.Dispose(); $b.Dispose() }
    }

    It 'offers a runspace tab completion of its own account''s task ids only' {
        $a = New-AccountShell
        $b = New-AccountShell -Key $OtherKey
        try {
            $taskA = (Invoke-InShell $a { param($p) Start-ZAiVideoGeneration $p } (New-TestId 'completion a'))[0]
            $complete = { (TabExpansion2 -inputScript 'Get-ZAiAsyncResult -Id ' -cursorColumn 23).CompletionMatches.CompletionText }
            Invoke-InShell $a $complete | Should -Contain $taskA.Id
            Invoke-InShell $b $complete | Should -Not -Contain $taskA.Id
        }
        finally { $a.Dispose(); $b.Dispose() }
    }

    It 'keeps a -Scope Runspace -PriceFile in its runspace, and Disconnect-ZAi in another runspace resets nothing there' {
        $priced = New-AccountShell -Extra @{ PriceFile = $Prices }
        $process = [powershell]::Create()   # no connection of its own: the process connection (no price file)
        $other = New-AccountShell
        try {
            $line = { param($shell, $prompt) (Invoke-InShell $shell { param($m, $p) Import-Module $m; Start-ZAiVideoGeneration $p -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Estimated cost:*' } | ForEach-Object Message } $env:ZAI_TEST_MODULE, $prompt) }

            & $line $priced (New-TestId 'priced') | Should -BeLike 'Estimated cost: $0.50 for 1 new task(s)*'
            & $line $process (New-TestId 'process') | Should -BeLike 'Estimated cost: $0.20 for 1 new task(s)*'
            $null = Invoke-InShell $other { Disconnect-ZAi }
            & $line $priced (New-TestId 'priced again') | Should -BeLike 'Estimated cost: $0.50 for 1 new task(s)*'
            # Its own Disconnect-ZAi forgets its prices with its connection; the process connection applies again.
            $null = Invoke-InShell $priced { Disconnect-ZAi }
            & $line $priced (New-TestId 'priced disconnected') | Should -BeLike 'Estimated cost: $0.20 for 1 new task(s)*'
        }
        finally { $priced.Dispose(); $process.Dispose(); $other.Dispose() }
    }
}

Describe 'A video effect is never sent twice' {
    AfterEach { Set-EmulatorSubmission -Reset | Out-Null }

    It 'sends an effect once when the gateway answers 502 after creating it, and the journal records it Unknown' {
        $journal = Join-Path $TestDrive "$(New-TestId 'effect').jsonl"
        $image = "https://images.example/$(New-TestId 'face').png"
        Connect-TestEmulator -Extra @{ MaxRetries = 3 }
        Set-EmulatorSubmission -Fault @(@{ type = 'statusAfterCreate'; status = 502 }) | Out-Null
        $errors = $null
        $out = Start-ZAiVideoEffect -ImageUrl $image -Template bodyshake -Journal $journal -ErrorVariable errors -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        # The effect's error, then the run's end: the journal's batch is not done (one request Unknown).
        $errors.Count | Should -Be 2
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete,*'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiSubmissionOutcomeUnknown,*'
        "$($errors[0])" | Should -BeLike '*HTTP 502*not sent again*'
        $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*Z.AI console*may exist and be billed*'
        Wait-EmulatorCondition { (Get-Posts '/v1/agents' $image).Count -ge 1 }
        (Get-Posts '/v1/agents' $image).Count | Should -Be 1
        $entry = Get-ZAiJournal $journal
        $entry.State | Should -Be 'Unknown'
        $entry.Reason | Should -BeLike '*not sent again*'

        # A re-run sends nothing: a second send would be a second billed effect.
        $warnings = $null
        Start-ZAiVideoEffect -ImageUrl $image -Template bodyshake -Journal $journal -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Posts '/v1/agents' $image).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete,*'
        $warnings.Count | Should -Be 1
    }

    It 'sends an effect once when the gateway answers after -RequestTimeoutSec (the 3 billed tasks of the issue)' {
        $image = "https://images.example/$(New-TestId 'late').png"
        Connect-TestEmulator -Extra @{ RequestTimeoutSec = 1; MaxRetries = 2 }
        Set-EmulatorSubmission -Fault @(1..3 | ForEach-Object { @{ type = 'slow'; delayMs = 3000 } }) | Out-Null
        $errors = $null
        Start-ZAiVideoEffect -ImageUrl $image -Template bodyshake -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiSubmissionOutcomeUnknown,*'
        "$($errors[0])" | Should -BeLike '*request timeout*'
        # The emulator logs a request when it ends; one abandoned at the time-out ends when it sees the connection close.
        Wait-EmulatorCondition { (Get-Posts '/v1/agents' $image).Count -ge 1 }
        (Get-Posts '/v1/agents' $image).Count | Should -Be 1
        Connect-TestEmulator -Extra @{ RequestTimeoutSec = 60; MaxRetries = 3 }
    }

    It 'still retries an image under its request id after a 5xx, and creates one task' {
        $prompt = New-TestId 'image retried'
        Connect-TestEmulator -Extra @{ MaxRetries = 2 }
        Set-EmulatorSubmission -Fault @(@{ type = 'status'; status = 503 }) | Out-Null
        $task = Start-ZAiImageGeneration $prompt

        $posts = Get-Posts '/images/generations' $prompt
        $posts.Count | Should -Be 2
        ($posts.body | ConvertFrom-Json).request_id | Select-Object -Unique | Should -HaveCount 1
        @($posts | Where-Object taskId).taskId | Should -Be $task.Id
    }
}

Describe '-Verbose names the prompt of each task created' {
    It 'says which prompt got which task, shortened when long' {
        $short = New-TestId 'verbose fox'
        $long = (New-TestId 'verbose') + ' ' + ('a very long prompt about a fox in the snow ' * 4)
        $verbose = @($short, $long | Start-ZAiVideoGeneration -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $created = @($verbose | Where-Object { $_ -like '*created (PROCESSING).' })
        $created.Count | Should -Be 2
        $created[0] | Should -Match "^Video request '[0-9a-f]{32}' for '$([regex]::Escape($short))': task '[0-9a-f]{32}' created \(PROCESSING\)\.$"
        $created[1] | Should -BeLike "Video request '*' for '$($long.Substring(0, 57))...': task '*' created (PROCESSING)."
    }
}
