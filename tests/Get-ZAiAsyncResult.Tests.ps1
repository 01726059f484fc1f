BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $script:Key = Get-TestApiKey
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null

    function Get-SingleError {
        <# Runs Get-ZAiAsyncResult on one id with no retries and returns the one error it wrote. #>
        param([string] $Id, [hashtable] $Connect = @{ MaxRetries = 0 })
        Connect-TestEmulator -Extra $Connect
        $errors = $null
        $out = Get-ZAiAsyncResult $Id -ErrorAction SilentlyContinue -ErrorVariable errors
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0]
    }
}

AfterAll { Disconnect-ZAi }

Describe 'Get-ZAiAsyncResult input binding' {
    BeforeAll {
        Connect-TestEmulator
        $script:Video = New-TestId 'video'
        $script:Image = New-TestId 'image'
        New-EmulatorTask @(
            @{ id = $Video; kind = 'video' }
            @{ id = $Image; kind = 'image'; imageCount = 2 }
        ) | Out-Null
    }

    It 'takes ids by position' {
        $result = Get-ZAiAsyncResult $Video
        $result.Id | Should -Be $Video
        $result.PSObject.TypeNames[0] | Should -Be 'ZAi.AsyncResult'
    }

    It 'takes several ids with -Id and keeps their order' {
        $results = Get-ZAiAsyncResult -Id $Image, $Video
        $results.Id | Should -Be @($Image, $Video)
    }

    It 'takes strings from the pipeline by value' {
        ($Video, $Image | Get-ZAiAsyncResult).Id | Should -Be @($Video, $Image)
    }

    It 'takes AsyncResult objects from the pipeline by their Id property' {
        $first = Get-ZAiAsyncResult $Video
        ($first | Get-ZAiAsyncResult).Id | Should -Be $Video
    }

    It 'takes a submission response (id property) and objects with a TaskId property' {
        ([pscustomobject]@{ model = 'cogvideox-3'; id = $Video; request_id = 'r1'; task_status = 'PROCESSING' } | Get-ZAiAsyncResult).Id | Should -Be $Video
        ([pscustomobject]@{ TaskId = $Image } | Get-ZAiAsyncResult).Id | Should -Be $Image
        (Get-ZAiAsyncResult -TaskId $Image).Id | Should -Be $Image
    }

    It 'takes deserialized results (Export-Clixml / Import-Clixml)' {
        $file = Join-Path $TestDrive 'results.xml'
        Get-ZAiAsyncResult $Video, $Image | Export-Clixml $file
        $restored = Import-Clixml $file
        $restored[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.ZAi.AsyncResult'
        ($restored | Get-ZAiAsyncResult).Id | Should -Be @($Video, $Image)
    }

    It 'returns video and image results with their links' {
        $video = Get-ZAiAsyncResult $Video
        $video.Kind | Should -Be 'Video'
        $video.Status | Should -Be 'Success'
        $video.TaskStatus | Should -Be 'SUCCESS'
        $video.Model | Should -Be 'cogvideox-3'
        $video.MediaCount | Should -Be 1
        $video.VideoResult[0].Url | Should -Match '/video_0\.mp4$'
        $video.VideoResult[0].CoverImageUrl | Should -Match '/video_0_cover\.jpeg$'
        $video.RequestId | Should -Not -BeNullOrEmpty
        $image = Get-ZAiAsyncResult $Image
        $image.Kind | Should -Be 'Image'
        $image.ImageResult.Count | Should -Be 2
        $image.ImageResult[1].Url | Should -Match '/image_1\.png$'
    }

    It 'shows id, status, kind, model and media count in the default table' {
        $table = Get-ZAiAsyncResult $Video | Out-String -Width 120
        $table | Should -Match 'Id\s+Status\s+Kind\s+Model\s+Media'
        $table | Should -Match ([regex]::Escape($Video) + '\s+Success\s+Video\s+cogvideox-3\s+1')
    }
}

Describe 'Get-ZAiAsyncResult result bodies' {
    BeforeAll { Connect-TestEmulator }

    It 'keeps an unknown status as Unknown with the raw string' {
        $id = New-TestId 'weird'
        New-EmulatorTask @{ id = $id; outcome = 'WEIRD' } | Out-Null
        $result = Get-ZAiAsyncResult $id
        $result.Status | Should -Be 'Unknown'
        $result.TaskStatus | Should -Be 'WEIRD'
        $result.IsTerminal | Should -BeFalse
    }

    It 'maps SUBMITTED to Processing and keeps the raw string' {
        $id = New-TestId 'submitted'
        New-EmulatorTask @{ id = $id; processingPolls = 2; initialStatus = 'SUBMITTED' } | Out-Null
        $result = Get-ZAiAsyncResult $id
        $result.Status | Should -Be 'Processing'
        $result.TaskStatus | Should -Be 'SUBMITTED'
        (Get-ZAiAsyncResult $id).TaskStatus | Should -Be 'PROCESSING'
        (Get-ZAiAsyncResult $id).Status | Should -Be 'Success'
    }

    It 'keeps unknown fields in AdditionalProperties' {
        $id = New-TestId 'extra'
        New-EmulatorTask @{ id = $id; extraFields = @{ future_field = 'x'; nested = @{ a = 1; list = @(1, 2) } } } | Out-Null
        $result = Get-ZAiAsyncResult $id
        $result.AdditionalProperties['future_field'] | Should -Be 'x'
        $result.AdditionalProperties['nested']['a'] | Should -Be 1
        $result.AdditionalProperties['nested']['list'] | Should -Be @(1, 2)
    }

    It 'reports a FAIL task as a result with status Fail' {
        $id = New-TestId 'fail'
        New-EmulatorTask @{ id = $id; outcome = 'FAIL' } | Out-Null
        $result = Get-ZAiAsyncResult $id
        $result.Status | Should -Be 'Fail'
        $result.MediaCount | Should -Be 0
    }

    It 'keeps b64_json and revised_prompt of image results' {
        $id = New-TestId 'b64'
        New-EmulatorTask @{ id = $id; kind = 'image'; imageB64 = $true } | Out-Null
        $image = (Get-ZAiAsyncResult $id).ImageResult[0]
        $image.B64Json | Should -Not -BeNullOrEmpty
        $image.RevisedPrompt | Should -Be 'a revised prompt'
    }

    It 'reads a chat completion body as kind Chat with its text, choices and usage typed' {
        $id = New-TestId 'chat'
        New-EmulatorTask @{ id = $id; kind = 'chat' } | Out-Null
        $result = Get-ZAiAsyncResult $id
        $result.Kind | Should -Be 'Chat'
        $result.Content | Should -Be 'Hello from the emulator'
        $result.Choices[0].Role | Should -Be 'assistant'
        $result.Usage.TotalTokens | Should -Be 10
        $result.pstypenames[0] | Should -Be 'ZAi.AsyncResult#Chat'
    }
}

Describe 'Get-ZAiAsyncResult errors' {
    It 'maps <Name> to <ErrorId> / <Category>' -TestCases @(
        @{ Name = '429 live envelope'; Fault = @{ type = 'status'; status = 429; envelope = 'zai'; code = '1302'; message = 'High concurrency' }; ErrorId = 'ZAiRateLimited'; Category = 'LimitsExceeded'; Code = '1302'; Status = 429 }
        @{ Name = '400 spec envelope'; Fault = @{ type = 'status'; status = 400; envelope = 'spec'; code = '1214'; message = 'Invalid parameter' }; ErrorId = 'ZAiInvalidRequest'; Category = 'InvalidArgument'; Code = '1214'; Status = 400 }
        @{ Name = '400 error string'; Fault = @{ type = 'status'; status = 400; envelope = 'errorString'; code = '1211'; message = 'Unknown model' }; ErrorId = 'ZAiInvalidRequest'; Category = 'InvalidArgument'; Code = '1211'; Status = 400 }
        @{ Name = '429 msg envelope'; Fault = @{ type = 'status'; status = 429; envelope = 'msg'; code = '1303'; message = 'Too frequent' }; ErrorId = 'ZAiRateLimited'; Category = 'LimitsExceeded'; Code = '1303'; Status = 429 }
        @{ Name = '400 message envelope'; Fault = @{ type = 'status'; status = 400; envelope = 'message'; code = '1214'; message = 'Bad id' }; ErrorId = 'ZAiInvalidRequest'; Category = 'InvalidArgument'; Code = '1214'; Status = 400 }
        @{ Name = '429 balance exhausted'; Fault = @{ type = 'status'; status = 429; envelope = 'zai'; code = '1113'; message = 'No balance' }; ErrorId = 'ZAiQuotaExceeded'; Category = 'QuotaExceeded'; Code = '1113'; Status = 429 }
        @{ Name = '500'; Fault = @{ type = 'status'; status = 500; envelope = 'zai'; code = '500'; message = 'Internal error' }; ErrorId = 'ZAiServerError'; Category = 'InvalidResult'; Code = '500'; Status = 500 }
        @{ Name = '502 HTML'; Fault = @{ type = 'html'; status = 502 }; ErrorId = 'ZAiServiceUnavailable'; Category = 'ConnectionError'; Code = $null; Status = 502 }
        @{ Name = '503 empty body'; Fault = @{ type = 'status'; status = 503; envelope = 'none' }; ErrorId = 'ZAiServiceUnavailable'; Category = 'ConnectionError'; Code = $null; Status = 503 }
        @{ Name = 'business error in 200'; Fault = @{ type = 'businessIn200'; envelope = 'zai'; code = '1214'; message = 'Invalid task' }; ErrorId = 'ZAiInvalidRequest'; Category = 'InvalidArgument'; Code = '1214'; Status = 200 }
        @{ Name = 'overload 1305 in 200'; Fault = @{ type = 'businessIn200'; envelope = 'zai'; code = '1305'; message = 'Overloaded' }; ErrorId = 'ZAiRateLimited'; Category = 'LimitsExceeded'; Code = '1305'; Status = 200 }
        @{ Name = 'malformed JSON'; Fault = @{ type = 'malformed'; status = 200 }; ErrorId = 'ZAiInvalidResponse'; Category = 'InvalidResult'; Code = $null; Status = 200 }
        @{ Name = 'dropped connection'; Fault = @{ type = 'drop'; afterBytes = 10 }; ErrorId = 'ZAiConnectionFailed'; Category = 'ConnectionError'; Code = $null; Status = $null }
    ) {
        $id = New-TestId 'fault'
        New-EmulatorTask @{ id = $id; faults = @($Fault) } | Out-Null
        $err = Get-SingleError $id
        $err.FullyQualifiedErrorId | Should -Be "$ErrorId,ZAi.PowerShell.Commands.GetZAiAsyncResultCommand"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.TargetObject | Should -Be $id
        $err.Exception | Should -BeOfType ([ZAi.ZAiApiException])
        $err.Exception.ErrorCode | Should -Be $Code
        $err.Exception.StatusCode | Should -Be $Status
        $err.Exception.Message | Should -BeLike "*$id*"
    }

    It 'quotes the API message and the proxy page title' {
        $api = New-TestId 'msg'
        $html = New-TestId 'html'
        New-EmulatorTask @(
            @{ id = $api; faults = @(@{ type = 'status'; status = 400; envelope = 'zai'; code = '1214'; message = 'The id is not valid' }) }
            @{ id = $html; faults = @(@{ type = 'html'; status = 502 }) }
        ) | Out-Null
        (Get-SingleError $api).Exception.ApiMessage | Should -Be 'The id is not valid'
        (Get-SingleError $html).Exception.Message | Should -BeLike '*502 Bad Gateway*'
    }

    It 'maps an unknown task to ZAiTaskNotFound / ObjectNotFound' {
        $err = Get-SingleError (New-TestId 'missing')
        $err.FullyQualifiedErrorId | Should -BeLike 'ZAiTaskNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'maps a wrong key to ZAiAuthenticationFailed / AuthenticationError' {
        $id = New-TestId 'auth'
        New-EmulatorTask @{ id = $id } | Out-Null
        Connect-ZAi -ApiKey (ConvertTo-SecureString 'sk-wrong-key-000000000000' -AsPlainText -Force) -BaseUri (Get-TestEmulatorUrl)
        $errors = $null
        Get-ZAiAsyncResult $id -ErrorAction SilentlyContinue -ErrorVariable errors
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiAuthenticationFailed,*'
        $errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $errors[0].Exception.ErrorCode | Should -Be '1002'
    }

    It 'times out a slow response per -RequestTimeoutSec' {
        $id = New-TestId 'slow'
        New-EmulatorTask @{ id = $id; faults = @(@{ type = 'slow'; delayMs = 5000 }) } | Out-Null
        $err = Get-SingleError $id -Connect @{ MaxRetries = 0; RequestTimeoutSec = 1 }
        $err.FullyQualifiedErrorId | Should -BeLike 'ZAiTimeout,*'
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
    }

    It 'writes a non-terminating error per failing id and goes on with the next ids' {
        Connect-TestEmulator
        $good = New-TestId 'good'
        New-EmulatorTask @{ id = $good } | Out-Null
        $errors = $null
        $results = Get-ZAiAsyncResult $good, (New-TestId 'missing'), '', "bad`nid", $good -ErrorAction SilentlyContinue -ErrorVariable errors
        $results.Count | Should -Be 2
        $errors.Count | Should -Be 3
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidTaskId,*'
        $errors[0].Exception.Message | Should -BeLike '*empty*'
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidTaskId,*'
        $errors[1].Exception.Message | Should -BeLike '*control character U+000A*'
        $errors[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[2].FullyQualifiedErrorId | Should -BeLike 'ZAiTaskNotFound,*'
    }

    It 'stops a runbook with -ErrorAction Stop' {
        Connect-TestEmulator
        { Get-ZAiAsyncResult (New-TestId 'missing') -ErrorAction Stop } | Should -Throw -ErrorId 'ZAiTaskNotFound,*'
    }

    It 'fails before any request when no key is set, naming Connect-ZAi and ZAI_API_KEY' {
        Disconnect-ZAi
        $env:ZAI_API_KEY = $null
        $env:ZAI_BASE_URL = Get-TestEmulatorUrl
        try {
            $err = { Get-ZAiAsyncResult 'any-task' } | Should -Throw -ErrorId 'ZAiApiKeyMissing,*' -PassThru
            $err.Exception.Message | Should -BeLike '*Connect-ZAi*'
            $err.Exception.Message | Should -BeLike '*ZAI_API_KEY*'
            Get-EmulatorRequest -PathContains 'any-task' | Should -BeNullOrEmpty
        }
        finally {
            $env:ZAI_BASE_URL = $null
        }
    }
}

Describe 'Get-ZAiAsyncResult retries' {
    BeforeAll { Connect-TestEmulator }

    It 'retries a 429 after the Retry-After seconds and reports it on -Verbose' {
        $id = New-TestId 'retry-after'
        New-EmulatorTask @{ id = $id; faults = @(@{ type = 'status'; status = 429; retryAfter = '1'; code = '1302' }) } | Out-Null
        $output = Get-ZAiAsyncResult $id -Verbose 4>&1
        $result = $output | Where-Object { $_ -is [ZAi.AsyncResult] }
        $verbose = $output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        $result.Status | Should -Be 'Success'
        ($verbose.Message -join "`n") | Should -BeLike '*HTTP 429 (code 1302); retry 1 of 3 in 1.0 s (as Retry-After asks)*'
        $requests = Get-EmulatorRequest -TaskId $id
        $requests.Count | Should -Be 2
        ([datetimeoffset]$requests[1].timestamp - [datetimeoffset]$requests[0].timestamp).TotalSeconds | Should -BeGreaterOrEqual 0.95
    }

    It 'honours Retry-After given as an HTTP date' {
        $id = New-TestId 'retry-date'
        $date = [DateTime]::UtcNow.AddSeconds(1).ToString('r')
        New-EmulatorTask @{ id = $id; faults = @(@{ type = 'status'; status = 503; retryAfter = $date; envelope = 'none' }) } | Out-Null
        $output = Get-ZAiAsyncResult $id -Verbose 4>&1
        ($output | Where-Object { $_ -is [ZAi.AsyncResult] }).Status | Should -Be 'Success'
        (($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join "`n") | Should -BeLike '*HTTP 503*as Retry-After asks*'
    }

    It 'recovers from <Name> mid-way with retries' -TestCases @(
        @{ Name = 'a 500'; Fault = @{ type = 'status'; status = 500; retryAfter = '0' } }
        @{ Name = 'a 502 HTML page'; Fault = @{ type = 'html'; status = 502; retryAfter = '0' } }
        @{ Name = 'a dropped connection'; Fault = @{ type = 'drop'; afterBytes = 5 } }
        @{ Name = 'a 1305 overload inside HTTP 200'; Fault = @{ type = 'businessIn200'; code = '1305'; retryAfter = '0' } }
    ) {
        $id = New-TestId 'recover'
        New-EmulatorTask @{ id = $id; faults = @($Fault) } | Out-Null
        (Get-ZAiAsyncResult $id).Status | Should -Be 'Success'
        (Get-EmulatorTask $id).requestCount | Should -Be 2
    }

    It 'does not retry a plain 400' {
        $id = New-TestId 'no-retry'
        New-EmulatorTask @{ id = $id; faults = @(@{ type = 'status'; status = 400; code = '1214' }) } | Out-Null
        Get-ZAiAsyncResult $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-EmulatorTask $id).requestCount | Should -Be 1
    }

    It 'gives up after -MaxRetries attempts' {
        Connect-TestEmulator -Extra @{ MaxRetries = 2 }
        $id = New-TestId 'give-up'
        $fault = @{ type = 'status'; status = 503; retryAfter = '0' }
        New-EmulatorTask @{ id = $id; faults = @($fault, $fault, $fault, $fault) } | Out-Null
        $errors = $null
        Get-ZAiAsyncResult $id -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiServiceUnavailable,*'
        (Get-EmulatorTask $id).requestCount | Should -Be 3
        Connect-TestEmulator
    }
}

Describe 'Get-ZAiAsyncResult task id escaping' {
    BeforeAll { Connect-TestEmulator }

    It 'sends <Id> as one escaped path segment' -TestCases @(
        @{ Id = 'a/../../v4/other' }
        @{ Id = 'x?y=1&z=2' }
        @{ Id = 'h#frag' }
        @{ Id = 'sp ace' }
        @{ Id = '..%2F..' }
    ) {
        $unique = "$Id-$(New-TestId 'esc')"
        New-EmulatorTask @{ id = $unique } | Out-Null
        $result = Get-ZAiAsyncResult $unique
        $result.Id | Should -Be $unique
        $request = Get-EmulatorRequest -TaskId $unique
        $request.Count | Should -Be 1
        $request[0].rawTarget | Should -Be ('/api/paas/v4/async-result/' + [uri]::EscapeDataString($unique))
    }

    It 'rejects "." and ".." without sending anything' {
        $errors = $null
        Get-ZAiAsyncResult '..', '.' -ErrorAction SilentlyContinue -ErrorVariable errors
        $errors.Count | Should -Be 2
        $errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'ZAiInvalidTaskId,*' }
    }
}

Describe 'Get-ZAiAsyncResult never shows the key' {
    It 'keeps the key out of every stream, error and exception with -Verbose -Debug' {
        Connect-TestEmulator -Extra @{ MaxRetries = 1 }
        $ids = 1..3 | ForEach-Object { New-TestId 'leak' }
        New-EmulatorTask @(
            @{ id = $ids[0]; faults = @(@{ type = 'status'; status = 429; retryAfter = '0' }) }
            @{ id = $ids[1]; faults = @(@{ type = 'status'; status = 400; code = '1214' }) }
            @{ id = $ids[2]; faults = @(@{ type = 'html'; status = 502; retryAfter = '0' }, @{ type = 'drop'; afterBytes = 3 }) }
        ) | Out-Null
        $DebugPreference = 'Continue'
        $records = Get-ZAiAsyncResult ($ids + (New-TestId 'missing')) -Verbose -Debug -ErrorAction Continue *>&1
        $text = ($records | ForEach-Object {
                $_ | Out-String
                if ($_ -is [Management.Automation.ErrorRecord]) { $_.Exception.ToString(); $_.ErrorDetails | Out-String; $_.Exception | Format-List * -Force | Out-String }
            }) -join "`n"
        @($records | Where-Object { $_ -is [Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
        @($records | Where-Object { $_ -is [Management.Automation.ErrorRecord] }).Count | Should -Be 3
        $text | Should -Not -BeLike "*$(Get-TestApiKey)*"
        Connect-TestEmulator
    }
}

Describe 'A server that echoes the key' {
    It 'has it masked in the X-Request-Id header (-Debug), the request_id of an error, task_status (-Verbose, timeout) and a media URL' {
        $key = Get-TestApiKey
        $masked = '****' + $key.Substring($key.Length - 4)
        $errorTask = New-TestId 'echo'
        $statusTask = New-TestId 'echo'
        $urlTask = New-TestId 'echo'
        New-EmulatorTask @(
            @{ id = $errorTask; faults = @(@{ type = 'echoKey' }) }
            @{ id = $statusTask; outcome = "RUNNING $key" }
            @{ id = $urlTask; extraFields = @{ video_result = @(@{ url = "notaurl-$key" }) } }
        ) | Out-Null
        $DebugPreference = 'Continue'
        $records = @(
            Get-ZAiAsyncResult $errorTask -ErrorAction Continue *>&1
            Wait-ZAiAsyncResult $statusTask -PollIntervalSec 0.2 -TimeoutSec 1 -Verbose -ErrorAction Continue *>&1
            & { Get-ZAiAsyncResult $urlTask | Save-ZAiMedia -Path (Join-Path $TestDrive (New-TestId 'out')) -ErrorAction Continue } *>&1
        )
        $text = ($records | ForEach-Object {
                $_ | Out-String
                if ($_ -is [Management.Automation.ErrorRecord]) { $_.Exception.ToString(); $_.Exception | Format-List * -Force | Out-String }
            }) -join "`n"
        $ids = @($records | Where-Object { $_ -is [Management.Automation.ErrorRecord] }).FullyQualifiedErrorId
        $ids | Should -BeLike 'ZAi*'
        $ids.Count | Should -Be 3
        $text | Should -BeLike "*request id req-$masked*"
        $text | Should -BeLike "*RUNNING $masked*"
        $text | Should -BeLike "*notaurl-$masked*"
        $text | Should -Not -BeLike "*$key*"
    }
}

Describe 'Get-ZAiAsyncResult and Ctrl+C' {
    It 'stops a request in flight and sends nothing more' {
        $id = New-TestId 'stop'
        New-EmulatorTask @{ id = $id; faults = @(@{ type = 'slow'; delayMs = 60000 }) } | Out-Null
        $ps = New-ConnectedShell
        try {
            $null = $ps.AddScript({ param($id) Get-ZAiAsyncResult $id }).AddArgument($id)
            $async = $ps.BeginInvoke()
            Wait-EmulatorCondition { (Get-EmulatorTask $id).requestCount -ge 1 }
            (Stop-TestShell $ps -WithinSec 2).TotalSeconds | Should -BeLessThan 2
            $async.IsCompleted | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            (Get-EmulatorTask $id).requestCount | Should -Be 1
        }
        finally {
            $ps.Dispose()
        }
    }
}
