BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator
    Set-EmulatorSubmission -Reset | Out-Null

    # The smallest valid PNG and JPEG signatures followed by a little data: what the API checks.
    $script:PngBytes = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [byte[]](1..64)
    $script:JpegBytes = [byte[]](0xFF, 0xD8, 0xFF, 0xE0) + [byte[]](1..64)
}

AfterAll {
    Set-EmulatorSubmission -Reset | Out-Null
    Disconnect-ZAi
}

Describe 'Start-ZAiVideoGeneration sends what it is given' {
    It 'puts every parameter into the request body' {
        $prompt = New-TestId 'every parameter'
        $requestId = New-TestId 'req'
        $task = Start-ZAiVideoGeneration -Prompt $prompt -Model 'cogvideox-3' -ImageUrl 'https://img.example/first.png' -Quality quality `
            -WithAudio -Size 1920x1080 -Fps 60 -Duration 10 -RequestId $requestId -UserId 'user-000042' `
            -Parameter ([ordered]@{ watermark_enabled = $false; seed = 7 })

        $sent = @(Get-EmulatorSubmission $prompt)
        $sent.Count | Should -Be 1
        $body = $sent[0].Json
        $body.model | Should -Be 'cogvideox-3'
        $body.prompt | Should -Be $prompt
        @($body.image_url) | Should -Be @('https://img.example/first.png')
        $body.quality | Should -Be 'quality'
        $body.with_audio | Should -BeTrue
        $body.size | Should -Be '1920x1080'
        $body.fps | Should -Be 60
        $body.duration | Should -Be 10
        $body.request_id | Should -Be $requestId
        $body.user_id | Should -Be 'user-000042'
        $body.watermark_enabled | Should -BeFalse
        $body.seed | Should -Be 7
        $sent[0].headers.Authorization | Should -Be "Bearer $(Get-TestApiKey)"
        $task.Id | Should -Be $sent[0].taskId
    }

    It 'leaves out what was not given and generates a request id' {
        $prompt = New-TestId 'minimal'
        $task = Start-ZAiVideoGeneration $prompt
        $body = (Get-EmulatorSubmission $prompt).Json
        @($body.PSObject.Properties.Name) | Should -Be @('model', 'prompt', 'request_id')
        $body.request_id | Should -Match '^[0-9a-f]{32}$'
        $task.RequestId | Should -Be $body.request_id
    }

    It 'sends -WithAudio:$false as false' {
        $prompt = New-TestId 'silent'
        Start-ZAiVideoGeneration $prompt -WithAudio:$false | Out-Null
        (Get-EmulatorSubmission $prompt).Json.with_audio | Should -BeFalse
    }

    It 'sends vidu fields through -Parameter' {
        $prompt = New-TestId 'vidu'
        Start-ZAiVideoGeneration $prompt -Model viduq1-text -Parameter @{ style = 'anime'; aspect_ratio = '9:16'; movement_amplitude = 'small' } | Out-Null
        $body = (Get-EmulatorSubmission $prompt).Json
        $body.model | Should -Be 'viduq1-text'
        $body.style | Should -Be 'anime'
        $body.aspect_ratio | Should -Be '9:16'
        $body.movement_amplitude | Should -Be 'small'
    }

    It 'reads local PNG and JPEG files as base64 data URIs: two images are the first and last frame' {
        $first = Join-Path $TestDrive 'first.png'
        $last = Join-Path $TestDrive 'last.jpg'
        [IO.File]::WriteAllBytes($first, $PngBytes)
        [IO.File]::WriteAllBytes($last, $JpegBytes)
        $prompt = New-TestId 'frames'
        Start-ZAiVideoGeneration $prompt -ImageUrl $first, $last -Quality speed | Out-Null
        $images = @((Get-EmulatorSubmission $prompt).Json.image_url)
        $images[0] | Should -Be ('data:image/png;base64,' + [Convert]::ToBase64String($PngBytes))
        $images[1] | Should -Be ('data:image/jpeg;base64,' + [Convert]::ToBase64String($JpegBytes))
    }

    It 'resolves PowerShell paths: relative to the current location and on PSDrives' {
        [IO.File]::WriteAllBytes((Join-Path $TestDrive 'relative.png'), $PngBytes)
        $prompt = New-TestId 'paths'
        Push-Location $TestDrive
        try { Start-ZAiVideoGeneration "$prompt-1" -ImageUrl ./relative.png | Out-Null }
        finally { Pop-Location }
        Start-ZAiVideoGeneration "$prompt-2" -ImageUrl 'TestDrive:\relative.png' | Out-Null
        (Get-EmulatorSubmission "$prompt-1").Json.image_url | Should -BeLike 'data:image/png;base64,*'
        (Get-EmulatorSubmission "$prompt-2").Json.image_url | Should -BeLike 'data:image/png;base64,*'
    }

    It 'takes prompts and local images from CSV rows by property name' {
        $folder = Join-Path $TestDrive (New-TestId 'frames')
        New-Item -ItemType Directory $folder | Out-Null
        $tag = New-TestId 'per image'
        $rows = foreach ($name in 'a', 'b', 'c') {
            $path = Join-Path $folder "$name.png"
            [IO.File]::WriteAllBytes($path, $PngBytes)
            [pscustomobject]@{ Prompt = "$tag $name"; ImageUrl = $path }
        }
        $tasks = $rows | Start-ZAiVideoGeneration
        @($tasks).Count | Should -Be 3
        foreach ($name in 'a', 'b', 'c') {
            (Get-EmulatorSubmission "$tag $name").Json.image_url | Should -Be ('data:image/png;base64,' + [Convert]::ToBase64String($PngBytes))
        }
    }
}

Describe 'Start-ZAiVideoGeneration output and pipeline' {
    It 'outputs the new task as a ZAi.AsyncResult in PROCESSING with its prompt' {
        $prompt = New-TestId 'output'
        $task = Start-ZAiVideoGeneration $prompt
        $task.PSObject.TypeNames[0] | Should -Be 'ZAi.AsyncResult'
        $task.Status | Should -Be 'Processing'
        $task.TaskStatus | Should -Be 'PROCESSING'
        $task.Kind | Should -Be 'Video'
        $task.Model | Should -Be 'cogvideox-3'
        $task.Prompt | Should -Be $prompt
        (Get-EmulatorTask $task.Id).kind | Should -Be 'video'
    }

    It 'starts a batch from prompts piped in, writing the tasks in input order' {
        $tag = New-TestId 'batch'
        $prompts = 1..6 | ForEach-Object { "$tag prompt $_" }
        $tasks = $prompts | Start-ZAiVideoGeneration -ThrottleLimit 3
        @($tasks).Count | Should -Be 6
        $tasks.Prompt | Should -Be $prompts
        @($tasks.Id | Sort-Object -Unique).Count | Should -Be 6
        foreach ($i in 0..5) { (Get-EmulatorSubmission $prompts[$i]).taskId | Should -Be $tasks[$i].Id }
    }

    It 'takes rows of a CSV file by property name' {
        $tag = New-TestId 'csv'
        $csv = Join-Path $TestDrive 'prompts.csv'
        @(
            [pscustomobject]@{ Prompt = "$tag fox"; Duration = 10; Quality = 'speed' }
            [pscustomobject]@{ Prompt = "$tag owl"; Duration = 5; Quality = 'quality' }
        ) | Export-Csv $csv -NoTypeInformation
        Import-Csv $csv | Start-ZAiVideoGeneration | Out-Null
        $fox = (Get-EmulatorSubmission "$tag fox").Json
        $owl = (Get-EmulatorSubmission "$tag owl").Json
        $fox.duration | Should -Be 10
        $fox.quality | Should -Be 'speed'
        $owl.duration | Should -Be 5
        $owl.quality | Should -Be 'quality'
    }

    It 'pipes into Get-ZAiAsyncResult and Wait-ZAiAsyncResult' {
        Set-EmulatorSubmission -Template @{ processingPolls = 2 } | Out-Null
        try {
            $task = Start-ZAiVideoGeneration (New-TestId 'pipe')
            ($task | Get-ZAiAsyncResult).Status | Should -Be 'Processing'
            $done = $task | Wait-ZAiAsyncResult -PollIntervalSec 0.1
            $done.Id | Should -Be $task.Id
            $done.Status | Should -Be 'Success'
            $done.VideoResult.Count | Should -Be 1
        }
        finally { Set-EmulatorSubmission -Reset | Out-Null }
    }

    It 'goes from a prompt to files on disk in one pipeline' {
        Set-EmulatorSubmission -Template @{ processingPolls = 1; mediaSize = 20000 } | Out-Null
        try {
            $out = Join-Path $TestDrive (New-TestId 'flow')
            $tag = New-TestId 'flow'
            $files = "$tag fox", "$tag owl" | Start-ZAiVideoGeneration | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path $out
            @($files).Count | Should -Be 4
            @($files | Where-Object MediaKind -eq 'Video').Count | Should -Be 2
            ($files | Where-Object MediaKind -eq 'Video' | ForEach-Object Length) | Should -Be @(20000, 20000)
            (Get-ChildItem $out -File).Count | Should -Be 4
        }
        finally { Set-EmulatorSubmission -Reset | Out-Null }
    }
}

Describe 'Start-ZAiVideoGeneration spends nothing by accident' {
    It 'sends nothing with -WhatIf and shows the body it would send' {
        $prompt = New-TestId 'whatif'
        $out = Invoke-ConnectedTestPwsh "`$o = Start-ZAiVideoGeneration '$prompt' -Duration 10 -WhatIf; 'OUTPUT:' + @(`$o).Count"
        Get-EmulatorSubmission $prompt | Should -BeNullOrEmpty
        $out | Should -BeLike '*OUTPUT:0*'
        $out | Should -BeLike "*What if:*POST*videos/generations*$prompt*"
        $out | Should -BeLike '*"duration":10*'
    }

    It 'shows local images shortened under -WhatIf' {
        $image = Join-Path $TestDrive 'whatif.png'
        [IO.File]::WriteAllBytes($image, $PngBytes + [byte[]]::new(2000))
        $prompt = New-TestId 'whatif-image'
        $out = Invoke-ConnectedTestPwsh "Start-ZAiVideoGeneration '$prompt' -ImageUrl '$image' -WhatIf"
        Get-EmulatorSubmission $prompt | Should -BeNullOrEmpty
        $out | Should -Match 'data:image/png;base64,.{0,48}\.\.\. \(\d+ characters\)'
    }

    It 'does not need an API key for -WhatIf' {
        $out = Invoke-ConnectedTestPwsh -NotConnected "Start-ZAiVideoGeneration 'no key needed' -WhatIf"
        $out | Should -BeLike '*What if:*https://api.z.ai/api/paas/v4/videos/generations*no key needed*'
        $out | Should -Not -BeLike '*ZAiApiKeyMissing*'
    }

    It 'asks under -Confirm but not by default (ConfirmImpact Medium)' {
        $attribute = (Get-Command Start-ZAiVideoGeneration).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'Medium'
        $ConfirmPreference | Should -Be 'High'
    }

    It 'does not create a second task when a dropped connection is retried' {
        Set-EmulatorSubmission -Fault @(@{ type = 'drop'; afterBytes = 10 }) | Out-Null
        $prompt = New-TestId 'dropped'
        $errors = $null
        $out = Start-ZAiVideoGeneration $prompt -ErrorAction SilentlyContinue -ErrorVariable errors
        $sent = @(Get-EmulatorSubmission $prompt)
        $sent.Count | Should -Be 2
        $sent[0].Json.request_id | Should -Be $sent[1].Json.request_id
        @($sent | Where-Object taskId).Count | Should -Be 1
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        # The task exists and is billed but its id is lost: ZAiTaskIdLost, apart from a request id reused (ZAiDuplicateRequest).
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiTaskIdLost,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $errors[0].Exception.RequestId | Should -Be $sent[0].Json.request_id
        $errors[0].Exception.Message | Should -BeLike '*most likely created the task*'
        $errors[0].TargetObject | Should -Be $prompt
    }

    It 'returns the existing task when the same request id and fields are submitted again' {
        $prompt = New-TestId 'again'
        $requestId = New-TestId 'req'
        $first = Start-ZAiVideoGeneration $prompt -RequestId $requestId
        $second = Start-ZAiVideoGeneration $prompt -RequestId $requestId -Verbose 4>&1
        $verbose = ($second | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Should -Contain "Video request '$requestId' for '$prompt' was already submitted in this session with the same fields; no new task is created, the existing one is returned."
        $verbose | Should -Contain "Video request '$requestId' for '$prompt': no new task; the task '$($first.Id)' of the earlier submission is returned (PROCESSING)."
        $verbose | Should -Not -Match 'created \('
        ($second | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Id | Should -Be $first.Id
        @(Get-EmulatorSubmission $prompt).Count | Should -Be 1
    }

    It 'refuses a request id already used for another request' {
        $requestId = New-TestId 'req'
        $first = Start-ZAiVideoGeneration (New-TestId 'first') -RequestId $requestId
        { Start-ZAiVideoGeneration (New-TestId 'second') -RequestId $requestId -ErrorAction Stop } |
            Should -Throw -ErrorId 'ZAiDuplicateRequest,ZAi.PowerShell.Commands.StartZAiVideoGenerationCommand' -ExpectedMessage "*$($first.Id)*"
        @(Get-EmulatorSubmission $requestId).Count | Should -Be 1
    }

    It 'reports a request id used by an earlier process with its request id' {
        $requestId = New-TestId 'req'
        $headers = @{ Authorization = "Bearer $(Get-TestApiKey)" }
        Invoke-RestMethod -Method Post -Uri "$(Get-TestEmulatorUrl)/paas/v4/videos/generations" -Headers $headers -ContentType 'application/json' `
            -Body (@{ model = 'cogvideox-3'; prompt = 'earlier run'; request_id = $requestId } | ConvertTo-Json) | Out-Null
        $errors = $null
        Start-ZAiVideoGeneration 'a re-run' -RequestId $requestId -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiDuplicateRequest,*'
        $errors[0].Exception.Message | Should -BeLike "*'$requestId'*used for an earlier submission*"
        $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*-RequestId*'
    }
}

Describe 'Start-ZAiVideoGeneration validates before sending' {
    It 'writes ZAiInvalidGenerationRequest naming the problem, sends nothing and goes on with the next prompt: <Name>' -ForEach @(
        @{ Name = 'prompt too long'; Splat = @{ Prompt = 'p' * 513 }; Message = '*513 characters*at most 512*' }
        @{ Name = 'neither prompt nor image'; Splat = @{ Duration = 5 }; Message = '*-Prompt, -ImageUrl or both*' }
        @{ Name = 'cogvideox-3 size'; Splat = @{ Prompt = 'x'; Size = '1000x1000' }; Message = "*-Size '1000x1000'*1920x1080*" }
        @{ Name = 'size form'; Splat = @{ Prompt = 'x'; Model = 'viduq1-text'; Size = 'large' }; Message = '*WIDTHxHEIGHT*' }
        @{ Name = 'first and last frame in quality mode'; Splat = @{ Prompt = 'x'; ImageUrl = 'https://a.example/1.png', 'https://a.example/2.png'; Quality = 'quality' }; Message = '*first and last frame*speed*' }
        @{ Name = 'image scheme'; Splat = @{ Prompt = 'x'; ImageUrl = 'file:///etc/passwd' }; Message = "*scheme 'file:'*" }
        @{ Name = 'missing image file'; Splat = @{ Prompt = 'x'; ImageUrl = './no-such-frame.png' }; Message = '*no such file*' }
        @{ Name = '-Parameter key of a parameter'; Splat = @{ Prompt = 'x'; Parameter = @{ fps = 60 } }; Message = '*use -Fps instead*' }
        @{ Name = '-Parameter documented value'; Splat = @{ Prompt = 'x'; Parameter = @{ style = 'oil' } }; Message = "*'style'*general, anime*" }
    ) {
        $before = @(Get-EmulatorRequest -PathContains '/generations').Count
        $errors = $null
        $out = Start-ZAiVideoGeneration @Splat -ErrorAction SilentlyContinue -ErrorVariable errors
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZAiInvalidGenerationRequest,ZAi.PowerShell.Commands.StartZAiVideoGenerationCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[0].Exception.Message | Should -BeLike $Message
        @(Get-EmulatorRequest -PathContains '/generations').Count | Should -Be $before
    }

    It 'checks a local image: type and size' {
        $gif = Join-Path $TestDrive 'frame.gif'
        [IO.File]::WriteAllBytes($gif, [Text.Encoding]::ASCII.GetBytes('GIF89a' + ('x' * 50)))
        $big = Join-Path $TestDrive 'big.png'
        $stream = [IO.File]::Create($big)
        try { $stream.Write($PngBytes, 0, $PngBytes.Length); $stream.SetLength(5MB + 1) } finally { $stream.Dispose() }
        { Start-ZAiVideoGeneration 'x' -ImageUrl $gif -ErrorAction Stop } | Should -Throw -ExpectedMessage '*not a PNG or JPEG*'
        { Start-ZAiVideoGeneration 'x' -ImageUrl $big -ErrorAction Stop } | Should -Throw -ExpectedMessage '*5242881 bytes*5 MiB*'
    }

    It 'keeps going after a bad prompt in a batch and names it as the target' {
        $tag = New-TestId 'mixed'
        $errors = $null
        $tasks = "$tag good 1", ('p' * 600), "$tag good 2" | Start-ZAiVideoGeneration -ErrorAction SilentlyContinue -ErrorVariable errors
        $tasks.Prompt | Should -Be @("$tag good 1", "$tag good 2")
        $errors.Count | Should -Be 1
        $errors[0].TargetObject | Should -Be ('p' * 600)
    }

    It 'refuses values outside the documented sets at binding: -<Parameter> <Value>' -ForEach @(
        @{ Parameter = 'Fps'; Value = 24 }
        @{ Parameter = 'Duration'; Value = 7 }
        @{ Parameter = 'Quality'; Value = 'best' }
    ) {
        $splat = @{ Prompt = 'x'; $Parameter = $Value }
        { Start-ZAiVideoGeneration @splat } | Should -Throw -ErrorId "ParameterArgumentTransformationError,ZAi.PowerShell.Commands.StartZAiVideoGenerationCommand" -ExpectedMessage "*'$Value' is not allowed; use one of*"
    }

    It 'passes API refusals on as errors with the API code (unknown model)' {
        $errors = $null
        Start-ZAiVideoGeneration 'x' -Model 'no-such-model' -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidRequest,*'
        $errors[0].Exception.ErrorCode | Should -Be '1211'
    }
}

Describe 'Start-ZAiVideoGeneration with rate limits and secrets' {
    It 'retries a rate limit with backoff and then creates the task' {
        Set-EmulatorSubmission -Fault @(@{ type = 'status'; status = 429; code = '1302'; retryAfter = '0' }, @{ type = 'businessIn200'; code = '1305' }) | Out-Null
        $prompt = New-TestId 'limited'
        $verbose = Start-ZAiVideoGeneration $prompt -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $sent = @(Get-EmulatorSubmission $prompt)
        $sent.Count | Should -Be 3
        @($sent | Where-Object taskId).Count | Should -Be 1
        ($verbose.Message -match 'retry') | Should -Not -BeNullOrEmpty
    }

    It 'never shows the API key with -Verbose and -Debug' {
        $prompt = New-TestId 'secret'
        $all = & { Start-ZAiVideoGeneration $prompt -Verbose -Debug; Start-ZAiVideoGeneration $prompt -Verbose -Debug -Model 'no-such-model' -ErrorAction Continue } *>&1 | Out-String
        $all += Invoke-ConnectedTestPwsh "Start-ZAiVideoGeneration '$prompt' -Verbose -Debug -WhatIf"
        $all | Should -Not -BeNullOrEmpty
        $all | Should -Not -Match ([regex]::Escape((Get-TestApiKey)))
    }

    It 'completes -Model and -Size with the documented values' {
        $line = 'Start-ZAiVideoGeneration -Model vidu2-'
        $models = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $models | Should -Be @('vidu2-image', 'vidu2-start-end', 'vidu2-reference')
        $line = 'Start-ZAiVideoGeneration -Size 38'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be '3840x2160'
    }
}
