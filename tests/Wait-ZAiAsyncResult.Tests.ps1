BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator
}

AfterAll { Disconnect-ZAi }

Describe 'Wait-ZAiAsyncResult output' {
    It 'streams each result as it finishes: a fast task reaches the next stage while a slow one still runs' {
        $fast = New-TestId 'fast'
        $slow = New-TestId 'slow'
        New-EmulatorTask @(
            @{ id = $slow; processingPolls = 4 }
            @{ id = $fast }
        ) | Out-Null
        $seen = $slow, $fast | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | ForEach-Object {
            [pscustomobject]@{ Id = $_.Id; SlowStatusThen = (Get-EmulatorTask $slow).lastStatus }
        }
        $seen.Id | Should -Be @($fast, $slow)
        $seen[0].SlowStatusThen | Should -Be 'PROCESSING'
        $seen[1].SlowStatusThen | Should -Be 'SUCCESS'
    }

    It 'writes SUCCESS results as typed objects' {
        $id = New-TestId 'ok'
        New-EmulatorTask @{ id = $id; processingPolls = 1; kind = 'image' } | Out-Null
        $result = Wait-ZAiAsyncResult $id -PollIntervalSec 0.1
        $result.PSObject.TypeNames[0] | Should -Be 'ZAi.AsyncResult'
        $result.Status | Should -Be 'Success'
        $result.Kind | Should -Be 'Image'
    }

    It 'reports a FAIL task as a non-terminating ZAiTaskFailed error with the result as TargetObject, and goes on' {
        $failed = New-TestId 'failed'
        $ok = New-TestId 'ok'
        New-EmulatorTask @(
            @{ id = $failed; outcome = 'FAIL' }
            @{ id = $ok; processingPolls = 2 }
        ) | Out-Null
        $errors = $null
        $results = Wait-ZAiAsyncResult $failed, $ok -PollIntervalSec 0.1 -ErrorAction SilentlyContinue -ErrorVariable errors
        $results.Id | Should -Be $ok
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZAiTaskFailed,ZAi.PowerShell.Commands.WaitZAiAsyncResultCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $errors[0].TargetObject | Should -BeOfType ([ZAi.AsyncResult])
        $errors[0].TargetObject.Id | Should -Be $failed
        $errors[0].TargetObject.Status | Should -Be 'Fail'
        $errors[0].Exception.Result.Id | Should -Be $failed
    }

    It 'stops a runbook on a FAIL task with -ErrorAction Stop' {
        $failed = New-TestId 'failed'
        New-EmulatorTask @{ id = $failed; outcome = 'FAIL' } | Out-Null
        { Wait-ZAiAsyncResult $failed -PollIntervalSec 0.1 -ErrorAction Stop } | Should -Throw -ErrorId 'ZAiTaskFailed,*'
    }

    It 'refuses a -TimeoutSec beyond what a timer can take (<Value>) instead of failing with ZAiUnexpectedError' -TestCases @(
        @{ Value = 2147484 }
        @{ Value = 4294968 }
    ) {
        { Wait-ZAiAsyncResult (New-TestId 'x') -TimeoutSec $Value } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'takes the largest -TimeoutSec' {
        $done = New-TestId 'done'
        New-EmulatorTask @{ id = $done } | Out-Null
        (Wait-ZAiAsyncResult $done -TimeoutSec 2147483).Id | Should -Be $done
    }

    It 'gives each unfinished task a ZAiWaitTimeout error carrying its last result at -TimeoutSec' {
        $never1 = New-TestId 'never'
        $never2 = New-TestId 'never'
        $done = New-TestId 'done'
        New-EmulatorTask @(
            @{ id = $never1; processingMs = 600000; initialStatus = 'SUBMITTED' }
            @{ id = $never2; processingMs = 600000 }
            @{ id = $done }
        ) | Out-Null
        $errors = $null
        $results = Wait-ZAiAsyncResult $never1, $never2, $done -PollIntervalSec 0.2 -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable errors
        $results.Id | Should -Be $done
        $errors.Count | Should -Be 2
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -BeLike 'ZAiWaitTimeout,*'
            $_.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $_.TargetObject | Should -BeOfType ([ZAi.AsyncResult])
            $_.TargetObject.Status | Should -Be 'Processing'
        }
        ($errors.TargetObject.Id | Sort-Object) | Should -Be (@($never1, $never2) | Sort-Object)
    }

    It 'returns at the first finished task with -Any' {
        $fast = New-TestId 'fast'
        $never = New-TestId 'never'
        New-EmulatorTask @(
            @{ id = $never; processingMs = 600000 }
            @{ id = $fast; processingPolls = 1 }
        ) | Out-Null
        $errors = $null
        $results = Wait-ZAiAsyncResult $never, $fast -Any -PollIntervalSec 0.1 -ErrorVariable errors
        @($results).Count | Should -Be 1
        $results.Id | Should -Be $fast
        $errors.Count | Should -Be 0
    }

    It 'polls a duplicate id once' {
        $id = New-TestId 'dup'
        New-EmulatorTask @{ id = $id } | Out-Null
        $results = $id, $id, $id | Wait-ZAiAsyncResult -PollIntervalSec 0.1
        @($results).Count | Should -Be 1
        (Get-EmulatorTask $id).requestCount | Should -Be 1
    }

    It 'takes deserialized results (Export-Clixml / Import-Clixml) and submission responses' {
        $a = New-TestId 'clixml'
        $b = New-TestId 'submitted'
        New-EmulatorTask @(
            @{ id = $a; processingPolls = 2 }
            @{ id = $b; processingPolls = 1 }
        ) | Out-Null
        $file = Join-Path $TestDrive 'pending.xml'
        Get-ZAiAsyncResult $a | Export-Clixml $file
        $restored = Import-Clixml $file
        # Enums come back from CliXml as numbers; the raw status string survives as is.
        $restored.TaskStatus | Should -Be 'PROCESSING'
        $restored.PSObject.TypeNames[0] | Should -Be 'Deserialized.ZAi.AsyncResult'
        $submission = [pscustomobject]@{ model = 'cogvideox-3'; id = $b; request_id = 'r'; task_status = 'PROCESSING' }
        $results = @($restored, $submission) | Wait-ZAiAsyncResult -PollIntervalSec 0.1
        ($results.Id | Sort-Object) | Should -Be (@($a, $b) | Sort-Object)
    }

    It 'pipes from Get-ZAiAsyncResult' {
        $id = New-TestId 'piped'
        New-EmulatorTask @{ id = $id; processingPolls = 2 } | Out-Null
        (Get-ZAiAsyncResult $id | Wait-ZAiAsyncResult -PollIntervalSec 0.1).Status | Should -Be 'Success'
    }

    It 'tells each status change on -Verbose' {
        $id = New-TestId 'verbose'
        New-EmulatorTask @{ id = $id; processingPolls = 2; initialStatus = 'SUBMITTED' } | Out-Null
        $verbose = Wait-ZAiAsyncResult $id -PollIntervalSec 0.1 -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        $text = $verbose.Message -join "`n"
        $text | Should -BeLike "*Task '$id': SUBMITTED at*"
        $text | Should -BeLike "*Task '$id': SUBMITTED -> PROCESSING*"
        $text | Should -BeLike "*Task '$id': PROCESSING -> SUCCESS*after 3 polls*"
    }

    It 'rejects invalid ids with ZAiInvalidTaskId and waits for the rest' {
        $id = New-TestId 'valid'
        New-EmulatorTask @{ id = $id } | Out-Null
        $errors = $null
        $results = Wait-ZAiAsyncResult '', $id, "a`tb" -PollIntervalSec 0.1 -ErrorAction SilentlyContinue -ErrorVariable errors
        $results.Id | Should -Be $id
        $errors.Count | Should -Be 2
        $errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'ZAiInvalidTaskId,*' }
    }

    It 'rejects -MaxPollIntervalSec below -PollIntervalSec' {
        { Wait-ZAiAsyncResult 'x' -PollIntervalSec 5 -MaxPollIntervalSec 1 } | Should -Throw -ErrorId 'ZAiInvalidPollInterval,*'
    }
}

Describe 'Wait-ZAiAsyncResult under faults' {
    It 'keeps waiting through transient faults mid-wait' {
        $id = New-TestId 'flaky'
        $other = New-TestId 'steady'
        New-EmulatorTask @(
            @{ id = $id; processingPolls = 3; faults = @(
                    @{ type = 'status'; status = 503; retryAfter = '0' }
                    @{ type = 'drop'; afterBytes = 5 }
                    @{ type = 'html'; status = 502; retryAfter = '0' }
                    @{ type = 'status'; status = 500; retryAfter = '0' }
                ) 
            }
            @{ id = $other; processingPolls = 2 }
        ) | Out-Null
        Connect-TestEmulator -Extra @{ MaxRetries = 1 }
        try {
            $errors = $null
            $results = Wait-ZAiAsyncResult $id, $other -PollIntervalSec 0.1 -ErrorVariable errors
            ($results.Id | Sort-Object) | Should -Be (@($id, $other) | Sort-Object)
            $errors.Count | Should -Be 0
            (Get-EmulatorTask $id).faultsRemaining | Should -Be 0
        }
        finally { Disconnect-ZAi; Connect-TestEmulator }
    }

    It 'waits out a 429 for every task instead of hammering' {
        $limited = New-TestId 'limited'
        $other = New-TestId 'other'
        New-EmulatorTask @(
            @{ id = $limited; processingPolls = 1; faults = @(@{ type = 'status'; status = 429; code = '1302'; retryAfter = '1' }) }
            @{ id = $other; processingPolls = 30 }
        ) | Out-Null
        Connect-TestEmulator -Extra @{ MaxRetries = 0 }
        try {
            $results = Wait-ZAiAsyncResult $limited, $other -PollIntervalSec 0.1 -MaxPollIntervalSec 0.1 -Any:$false -TimeoutSec 60
            @($results).Count | Should -Be 2
            # The 429 on one task paused the other: no request for either task while the Retry-After second ran.
            # Each task's first poll may already be on its way when the 429 arrives, so only later polls count.
            $limitedLog = @(Get-EmulatorRequest -TaskId $limited)
            $otherLog = @(Get-EmulatorRequest -TaskId $other)
            $limitedAt = [datetimeoffset]($limitedLog | Where-Object status -eq 429 | Select-Object -First 1).timestamp
            $later = @($limitedLog | Select-Object -Skip 1) + @($otherLog | Select-Object -Skip 1)
            $during = $later | Where-Object { $t = [datetimeoffset]$_.timestamp; $t -gt $limitedAt -and $t -lt $limitedAt.AddMilliseconds(900) }
            $during | Should -BeNullOrEmpty
        }
        finally { Disconnect-ZAi; Connect-TestEmulator }
    }

    It 'gives up a task that does not exist with ZAiTaskNotFound and waits for the others' {
        $ok = New-TestId 'ok'
        New-EmulatorTask @{ id = $ok; processingPolls = 1 } | Out-Null
        $errors = $null
        $results = Wait-ZAiAsyncResult (New-TestId 'missing'), $ok -PollIntervalSec 0.1 -ErrorAction SilentlyContinue -ErrorVariable errors
        $results.Id | Should -Be $ok
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiTaskNotFound,*'
    }
}

Describe 'Wait-ZAiAsyncResult progress and Ctrl+C' {
    It 'writes progress records with done/total and completes the bar' {
        $ids = 1..3 | ForEach-Object { New-TestId 'progress' }
        New-EmulatorTask ($ids | ForEach-Object { @{ id = $_; processingPolls = 3 } }) | Out-Null
        $ps = New-ConnectedShell
        try {
            $null = $ps.AddScript({ param($ids) $ProgressPreference = 'Continue'; Wait-ZAiAsyncResult $ids -PollIntervalSec 0.1 }).AddArgument($ids)
            $results = $ps.Invoke()
            $results.Count | Should -Be 3
            $records = @($ps.Streams.Progress)
            $records.Count | Should -BeGreaterThan 1
            $records[0].Activity | Should -Be 'Waiting for Z.AI tasks'
            $records[0].StatusDescription | Should -BeLike '* of 3 done:*'
            $records[-1].RecordType | Should -Be 'Completed'
            @($records | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
        }
        finally { $ps.Dispose() }
    }

    It 'writes no progress when $ProgressPreference is SilentlyContinue' {
        $id = New-TestId 'quiet'
        New-EmulatorTask @{ id = $id; processingPolls = 2 } | Out-Null
        $ps = New-ConnectedShell
        try {
            $null = $ps.AddScript({ param($id) $ProgressPreference = 'SilentlyContinue'; Wait-ZAiAsyncResult $id -PollIntervalSec 0.1 }).AddArgument($id)
            $ps.Invoke().Count | Should -Be 1
            $ps.Streams.Progress.Count | Should -Be 0
        }
        finally { $ps.Dispose() }
    }

    It 'stops on Ctrl+C, cancels the requests in flight and leaves nothing polling' {
        $slow = New-TestId 'stop-slow'
        $polled = New-TestId 'stop-polled'
        New-EmulatorTask @(
            @{ id = $slow; faults = @(@{ type = 'slow'; delayMs = 60000 }) }
            @{ id = $polled; processingMs = 600000 }
        ) | Out-Null
        $ps = New-ConnectedShell
        try {
            $null = $ps.AddScript({ param($a, $b) Wait-ZAiAsyncResult $a, $b -PollIntervalSec 0.1 -MaxPollIntervalSec 0.1 }).AddArgument($slow).AddArgument($polled)
            $async = $ps.BeginInvoke()
            Wait-EmulatorCondition { (Get-EmulatorTask $slow).requestCount -ge 1 -and (Get-EmulatorTask $polled).requestCount -ge 3 }
            (Stop-TestShell $ps -WithinSec 2).TotalSeconds | Should -BeLessThan 2
            $async.IsCompleted | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $countAfterStop = (Get-EmulatorTask $polled).requestCount

            # A real wait of several 0.1 s poll intervals, timed by the emulator rather than a sleep.
            $clock = New-TestId 'clock'
            New-EmulatorTask @{ id = $clock; processingPolls = 6 } | Out-Null
            Wait-ZAiAsyncResult $clock -PollIntervalSec 0.1 -MaxPollIntervalSec 0.1 | Out-Null

            (Get-EmulatorTask $polled).requestCount | Should -Be $countAfterStop
            (Get-EmulatorTask $slow).requestCount | Should -Be 1
        }
        finally { $ps.Dispose() }
    }
}
