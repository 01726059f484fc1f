# Issue 19: first use, second pass: what a new user meets in a real terminal, through the user's own paths:
# a child pwsh -NonInteractive, the emulator serving what the API serves, a console 80 columns wide.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator

    function New-OutFolder { Join-Path $TestDrive (New-TestId 'out') }
}

AfterAll { Disconnect-ZAi }

Describe '1. -Debug prints instead of asking' {
    It 'prints debug and verbose lines of every command in a non-interactive pwsh, and runs to the end' {
        $id = New-TestId 'debug'
        New-EmulatorTask @{ id = $id; kind = 'image'; mediaSize = 500 } | Out-Null
        $folder = New-OutFolder
        $output = Invoke-ConnectedTestPwsh -Command @"
`$t = Start-ZAiImageGeneration -Prompt 'debug cat' -Debug
Get-ZAiAsyncResult '$id' -Debug | Wait-ZAiAsyncResult -Debug | Save-ZAiMedia -Path '$folder' -Debug | ForEach-Object { 'SAVED ' + `$_.Name }
'STARTED ' + `$t.Status
Get-ZAiContext -Debug | Out-Null
'END'
"@
        $output | Should -Not -Match 'NonInteractive'
        $output | Should -Not -Match 'Continue with this operation'
        $output | Should -Match 'DEBUG: POST http://127\.0\.0\.1:\d+/api/paas/v4/async/images/generations -> 200'
        $output | Should -Match "DEBUG: GET http://127\.0\.0\.1:\d+/api/paas/v4/async-result/$id -> 200"
        $output | Should -Match 'VERBOSE: '
        $output | Should -Match 'SAVED \S+'
        $output | Should -Match 'STARTED Processing'
        $output | Should -Match '(?m)^END\s*$'
    }

    It 'sends the debug lines to the debug stream, where 5>&1 collects them' {
        $id = New-TestId 'debug5'
        New-EmulatorTask @{ id = $id; kind = 'image' } | Out-Null
        $output = Invoke-ConnectedTestPwsh -Command "`$all = Get-ZAiAsyncResult '$id' -Debug 5>&1 4>`$null; 'DEBUGRECORDS ' + @(`$all | Where-Object { `$_ -is [System.Management.Automation.DebugRecord] }).Count; 'RESULTS ' + @(`$all | Where-Object { `$_ -isnot [System.Management.Automation.DebugRecord] }).Count"
        $output | Should -Match 'DEBUGRECORDS 1\b'
        $output | Should -Match 'RESULTS 1\b'
    }

    It 'still asks before a billed submission when $ConfirmPreference says so' {
        $output = Invoke-ConnectedTestPwsh -Command "`$ConfirmPreference = 'Medium'; Start-ZAiImageGeneration -Prompt 'confirm me' -Debug"
        $output | Should -Match 'NonInteractive'
    }
}

Describe '5. A wrong key costs one request, not one per prompt' {
    AfterEach { Connect-TestEmulator }

    It 'sends the first prompt only, and reports the other four with a short error referring to it' {
        $marker = New-TestId 'badkey'
        Connect-ZAi -ApiKey (ConvertTo-SecureString 'sk-not-the-right-key-000' -AsPlainText -Force) -BaseUri (Get-TestEmulatorUrl)
        $prompts = 1..5 | ForEach-Object { "$marker prompt $_" }

        $out = $prompts | Start-ZAiImageGeneration -ErrorVariable failures -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 5
        $failures.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'ZAiAuthenticationFailed,*' }
        @($failures | Where-Object { $_.Exception.Message -match 'HTTP 401' -and $_.Exception.Message -notmatch 'not sent' }).Count | Should -Be 1
        $refused = @($failures | Where-Object { $_.Exception.Message -match 'not sent\. Another request of this command failed with ZAiAuthenticationFailed \(HTTP 401\)' })
        $refused.Count | Should -Be 4
        # Short: the message, led by the prompt's row (issue 18), and no advice of its own.
        $refused | ForEach-Object {
            $_.Exception.Message.Length | Should -BeLessThan 200
            $_.ErrorDetails.Message | Should -BeLike "Row ? of the input (prompt '$marker prompt ?'): *not sent*"
            $_.ErrorDetails.Message.Length | Should -BeLessThan 280
            $_.ErrorDetails.RecommendedAction | Should -BeNullOrEmpty
        }
        # The emulator's request log: one submission reached it, and it was answered 401.
        $sent = @(Get-EmulatorRequest -PathContains '/generations' | Where-Object { $_.body -and $_.body.Contains($marker) })
        $sent.Count | Should -Be 1
        $sent[0].status | Should -Be 401
    }

    It 'polls one task of many with a wrong key, and the right key afterwards works again' {
        $ids = 1..4 | ForEach-Object { New-TestId 'badpoll' }
        New-EmulatorTask @($ids | ForEach-Object { @{ id = $_; kind = 'image' } }) | Out-Null
        Connect-ZAi -ApiKey (ConvertTo-SecureString 'sk-not-the-right-key-001' -AsPlainText -Force) -BaseUri (Get-TestEmulatorUrl)

        $null = Get-ZAiAsyncResult $ids -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 4
        @($ids | ForEach-Object { Get-EmulatorRequest -TaskId $_ }).Count | Should -Be 1
        Connect-TestEmulator
        @(Get-ZAiAsyncResult $ids).Count | Should -Be 4
    }
}

Describe '2. An expired link gives one clear message per file' {
    It 'saves nothing of a video task that finished two days ago, with one error per file and no warning' {
        $id = New-TestId 'old'
        New-EmulatorTask @{ id = $id; kind = 'video'; finishedMinutesAgo = 2 * 1440 } | Out-Null
        $warnings = $null
        $errors = $null

        $files = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -WarningVariable warnings -ErrorVariable errors -ErrorAction SilentlyContinue

        $files | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 0
        $errors.Count | Should -Be 2
        $errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -Be 'ZAiMediaLinkExpired,ZAi.PowerShell.Commands.SaveZAiMediaCommand' }
        $messages = $errors.Exception.Message | Sort-Object
        $messages[0] | Should -BeLike "The link of the cover 0 of task '$id' has expired (HTTP 403). It was estimated to work until * UTC, counting 1 day from when this session first saw the task finished; the task had finished earlier. An expired link cannot be renewed*submit the task again, and save its media within 1 day next time."
        $messages[1] | Should -BeLike "The link of the video 0 of task '$id' has expired (HTTP 403).*"
        $messages | ForEach-Object { $_ | Should -Not -Match '30 days|Get-ZAiAsyncResult|and\)' }
        # The emulator refused both links as expired: the task's links live one day.
        @(Get-EmulatorRequest -TaskId $id | Where-Object { $_.rawTarget -like '/media/*' -and $_.status -eq 403 }).Count | Should -Be 2
    }

    It 'still saves an image of the same age: image links live 30 days' {
        $id = New-TestId 'oldimg'
        New-EmulatorTask @{ id = $id; kind = 'image'; finishedMinutesAgo = 2 * 1440; mediaSize = 300 } | Out-Null
        $files = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder)
        $files.TaskId | Should -Be $id
    }
}

Describe '3. Emoji in -NameTemplate {Prompt} stay in the file name' {
    It 'names the file after a prompt with characters beyond the BMP, and the file is on disk under that name' {
        $rocket = [char]::ConvertFromUtf32(0x1F680)
        $moon = [char]::ConvertFromUtf32(0x1F319)
        $rare = [char]::ConvertFromUtf32(0x20BB7)   # a CJK ideograph outside the BMP
        $prompt = "$rocket Rocket launch $moon $rare"
        $folder = New-OutFolder

        $file = Start-ZAiImageGeneration -Prompt $prompt | Wait-ZAiAsyncResult | Save-ZAiMedia -Path $folder -NameTemplate '{Prompt}'

        $file.Name | Should -Be "$prompt.png"
        (Get-ChildItem -LiteralPath $folder).Name | Should -Be "$prompt.png"
        $file.Name | Should -Not -Match '_'
    }
}

Describe '4. Get-ZAiAsyncResult keeps the prompt of its input; Save says when {Prompt} is empty' {
    It 'names files after the prompts of journal records piped through Get, as through Wait' {
        $marker = New-TestId 'journal'
        $journal = Join-Path $TestDrive "$marker.jsonl"
        $prompts = "$marker red fox", "$marker blue whale"
        $prompts | Start-ZAiImageGeneration -Journal $journal | Out-Null
        $folder = New-OutFolder
        $warnings = $null

        $files = Get-Content $journal | ConvertFrom-Json | Where-Object type -eq accepted | Get-ZAiAsyncResult |
            Save-ZAiMedia -Path $folder -NameTemplate '{Prompt}' -WarningVariable warnings

        ($files.Name | Sort-Object) | Should -Be ($prompts | ForEach-Object { "$_.png" } | Sort-Object)
        $warnings.Count | Should -Be 0
        $viaWait = Get-Content $journal | ConvertFrom-Json | Where-Object type -eq accepted | Wait-ZAiAsyncResult
        $viaGet = Get-Content $journal | ConvertFrom-Json | Where-Object type -eq accepted | Get-ZAiAsyncResult
        ($viaGet.Prompt | Sort-Object) | Should -Be ($viaWait.Prompt | Sort-Object)
    }

    It 'warns once, naming the first file, when inputs have no prompt for {Prompt}' {
        $ids = (New-TestId 'noprompt'), (New-TestId 'noprompt')
        New-EmulatorTask @($ids | ForEach-Object { @{ id = $_; kind = 'video'; mediaSize = 300 } }) | Out-Null
        $warnings = $null

        $files = Get-ZAiAsyncResult $ids | Save-ZAiMedia -Path (New-OutFolder) -NameTemplate '{Prompt}' -WarningVariable warnings

        @($files).Count | Should -Be 4
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "-NameTemplate '{Prompt}': the video 0 of task '$($ids[0])' has no prompt, so its task id stands in for {Prompt}, as it will for any later file without one.*"
    }
}

Describe '6. The emulator on its own' {
    It 'build.ps1 Emulator runs it in the foreground and prints a Connect-ZAi line that works as printed' {
        $command = @(Get-PwshCommand)
        $info = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot '../build.ps1'), 'Emulator')) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        try {
            $lines = [Collections.Generic.List[string]]::new()
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            while (-not ($lines -match '^\s*Connect-ZAi ')) {
                $next = $process.StandardOutput.ReadLineAsync()
                if (-not $next.Wait([math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)) -or $null -eq $next.Result) { throw "build.ps1 Emulator printed no Connect-ZAi line: $($lines -join "`n")" }
                $lines.Add($next.Result)
            }
            $baseUri = ($lines -match '^\s*Base URI : ') -replace '^\s*Base URI : ', ''
            $baseUri | Should -Match '^http://127\.0\.0\.1:\d+/api$'
            ($lines -match '^\s*API key  : ') -replace '^\s*API key  : ', '' | Should -Be (Get-TestApiKey)
            $connect = ($lines -match '^\s*Connect-ZAi ')[0].Trim()
            $connect | Should -BeLike "*-BaseUri '$baseUri'"
            $process.HasExited | Should -BeFalse

            $folder = New-OutFolder
            $output = Invoke-TestPwsh -Command "Import-Module '$env:ZAI_TEST_MODULE'; $connect; Start-ZAiImageGeneration -Prompt 'emulator on its own' | Wait-ZAiAsyncResult | Save-ZAiMedia -Path '$folder' | ForEach-Object { 'SAVED ' + `$_.Name }" -Environment @{ ZAI_API_KEY = $null; ZAI_BASE_URL = $null }
            $output | Should -Match 'SAVED \w+\.png'
            @(Invoke-RestMethod "$($baseUri -replace '/api$', '')/_emulator/requests" | ForEach-Object { $_ } | Where-Object rawTarget -like '*/generations').Count | Should -Be 1
        }
        finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            $process.Dispose()
        }
    }

    It '--help lists every start-up option and every setting of the config endpoint' {
        $dll = (Get-ChildItem (Join-Path $PSScriptRoot 'ZAi.Emulator/bin/*/net10.0/ZAi.Emulator.dll') | Sort-Object LastWriteTime | Select-Object -Last 1).FullName
        $help = (& dotnet $dll --help) -join "`n"
        $LASTEXITCODE | Should -Be 0
        foreach ($option in '--port', '--api-key', '--latency-ms', '--parent-pid', '--help') { $help | Should -Match ([regex]::Escape($option)) }
        $settings = (Invoke-RestMethod "$(Get-EmulatorRoot)/_emulator/config").PSObject.Properties.Name
        $settings.Count | Should -BeGreaterThan 5
        foreach ($setting in $settings) { $help | Should -Match "\b$setting\b" -Because "GET /_emulator/config reports '$setting'" }
        $help | Should -Not -Match 'unknown argument'
    }
}

Describe '7. Exports hold content, not type names, and JSON dates carry their offset' {
    It 'writes no type-name cell in the CSV of Get and Wait output, and the CSV still saves' {
        $video = New-TestId 'csvv'
        $image = New-TestId 'csvi'
        New-EmulatorTask @(
            @{ id = $video; kind = 'video'; mediaSize = 300; extraFields = @{ extra_field = @{ tokens = 3 } } }
            @{ id = $image; kind = 'image'; mediaSize = 300 }
        ) | Out-Null
        $csv = Join-Path $TestDrive "$video.csv"
        @(Get-ZAiAsyncResult $video) + @(Wait-ZAiAsyncResult $image) | Export-Csv $csv

        $text = Get-Content -Raw $csv
        $text | Should -Not -Match 'ZAi\.\w+\[\]|System\.Collections|Dictionary`'
        $rows = Import-Csv $csv
        $rows[0].VideoResult | Should -Be $rows[0].VideoUrl
        $rows[0].AdditionalProperties | Should -Be '{"extra_field":{"tokens":3}}'
        $rows[1].ImageResult | Should -Be $rows[1].ImageUrl
        $rows[1].AdditionalProperties | Should -Be ''
        @($rows | Save-ZAiMedia -Path (New-OutFolder)).Count | Should -Be 3
    }

    It 'writes dates to CSV as ISO 8601 with the offset in any culture, and they stay dates in the session' {
        $id = New-TestId 'csvdate'
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 300 } | Out-Null
        $csv = Join-Path $TestDrive "$id.csv"
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $result = Get-ZAiAsyncResult $id
            $result | Export-Csv $csv
            $file = $result | Save-ZAiMedia -Path (New-OutFolder) -Kind Video
            $file | Export-Csv "$csv.files.csv"
        }
        finally { [cultureinfo]::CurrentCulture = $saved }

        $row = Import-Csv $csv
        foreach ($cell in $row.RetrievedAt, $row.ExpiresAt, (Import-Csv "$csv.files.csv").ExpiresAt) {
            $cell | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$'
        }
        [datetime]::Parse($row.ExpiresAt, [cultureinfo]::InvariantCulture, 'RoundtripKind') | Should -Be $result.ExpiresAt
        $result.ExpiresAt -is [datetime] | Should -BeTrue
        ($result.ExpiresAt - $result.RetrievedAt).TotalHours | Should -Be 24
        $result.ExpiresAt.ToString('yyyy', [cultureinfo]::InvariantCulture) | Should -Be $result.ExpiresAt.Year.ToString()
        $viaJob = Start-ThreadJob { param($r) $r } -ArgumentList $result | Receive-Job -Wait -AutoRemoveJob
        $viaJob.ExpiresAt | Should -BeOfType ([datetime])
    }

    It 'writes dates to JSON as ISO 8601 with the offset, and they read back to the same instant' {
        $id = New-TestId 'json'
        New-EmulatorTask @{ id = $id; kind = 'image' } | Out-Null
        $result = Get-ZAiAsyncResult $id

        $json = $result | ConvertTo-Json -Depth 4

        $json | Should -Match '"RetrievedAt":\s*"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"'
        $json | Should -Match '"ExpiresAt":\s*"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"'
        ([datetime]($json | ConvertFrom-Json).ExpiresAt).ToUniversalTime() | Should -Be $result.ExpiresAt.ToUniversalTime()
    }
}

Describe '8. Save-ZAiMedia''s table at 80 columns' {
    It 'keeps every row identifiable and within 80 cells for two tasks of one long CJK prompt' {
        $folder = New-OutFolder
        $prompt = '一只在月光下奔跑的白色狐狸穿过雪地森林，远处是灯火通明的古老城堡和星空'
        $output = Invoke-ConnectedTestPwsh -Command @"
'WIDTH ' + `$Host.UI.RawUI.WindowSize.Width
'$prompt', '$prompt' | Start-ZAiVideoGeneration | Wait-ZAiAsyncResult | Save-ZAiMedia -Path '$folder' -NameTemplate '{Prompt}' | Format-Table | Out-String -Stream | ForEach-Object { 'ROW ' + `$_ }
"@
        $output | Should -Match 'WIDTH 80\b'
        $rows = @(($output -split "`r?`n") -match '^ROW (Video|Cover) ' | ForEach-Object { $_.Substring(4) })
        $rows.Count | Should -Be 4
        $rows | ForEach-Object { [ZAi.TableText]::Cells($_) | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        ($rows | Select-Object -Unique).Count | Should -Be 4
        @($rows -match '\.mp4$').Count | Should -Be 2
        @($rows -match '\.cover\.jpg$').Count | Should -Be 2
        $files = Get-ChildItem -LiteralPath $folder
        $files.Count | Should -Be 4
        # Each row names exactly one file: the end it keeps belongs to that file only.
        foreach ($row in $rows) { $tail = ($row -split '…')[-1]; @($files | Where-Object { $_.Name.EndsWith($tail) }).Count | Should -Be 1 -Because "'$row' must name one file" }
    }
}

Describe '9. Smaller things' {
    It 'says "so far" in Wait''s progress while tasks still arrive through the pipeline' {
        $ids = 1..2 | ForEach-Object { New-TestId 'sofar' }
        New-EmulatorTask ($ids | ForEach-Object { @{ id = $_; processingPolls = 2 } }) | Out-Null
        $ps = New-ConnectedShell
        try {
            $null = $ps.AddScript({ param($ids) $ProgressPreference = 'Continue'; $ids | ForEach-Object { $_ } | Wait-ZAiAsyncResult -PollIntervalSec 0.1 }).AddArgument($ids)
            $results = $ps.Invoke()
            $results.Count | Should -Be 2
            $records = @($ps.Streams.Progress | Where-Object RecordType -ne 'Completed')
            $records[0].StatusDescription | Should -BeLike '0 of 1 so far done:*'
        }
        finally { $ps.Dispose() }
    }
}

Describe '9. Get-ZAiContext as a table' {
    It 'shows whole seconds without decimals, and the list stays the default view' {
        $output = Invoke-ConnectedTestPwsh -Command "Get-ZAiContext | Format-Table | Out-String -Width 200; 'LIST'; Get-ZAiContext | Out-String -Width 200"
        $table = ($output -split 'LIST')[0]
        $row = @(($table -split "`r?`n") -match '127\.0\.0\.1')[0]
        $row | Should -Not -Match '\d\.00\b'
        $row | Should -Match '\s10\s+60\s+3\s+True'
        ($output -split 'LIST')[1] | Should -Match 'ConnectTimeoutSec\s*:\s*10\b'
    }
}

Describe '9. A media host redirecting to file://' {
    It 'is ZAiInvalidMediaUrl, not ZAiUnexpectedError, and leaves no file' {
        # A loopback host of our own that answers the media request with a redirect to a local file.
        $listener = [System.Net.HttpListener]::new()
        $port = 0
        foreach ($try in 1..20) {
            $port = Get-Random -Minimum 20000 -Maximum 60000
            $listener.Prefixes.Clear(); $listener.Prefixes.Add("http://127.0.0.1:$port/")
            try { $listener.Start(); break } catch { $listener.Close(); $listener = [System.Net.HttpListener]::new() }
        }
        $folder = New-OutFolder
        $ps = New-ConnectedShell
        try {
            $null = $ps.AddScript({ param($url, $folder) [pscustomobject]@{ TaskId = 'redirected'; Url = $url } | Save-ZAiMedia -Path $folder -ErrorAction SilentlyContinue -ErrorVariable failures; $failures }).AddArgument("http://127.0.0.1:$port/v.png").AddArgument($folder)
            $running = $ps.BeginInvoke()
            $request = $listener.GetContextAsync()
            $request.Wait(30000) | Should -BeTrue
            $request.Result.Response.StatusCode = 302
            $request.Result.Response.Headers['Location'] = 'file:///etc/passwd'
            $request.Result.Response.Close()
            $failures = @($ps.EndInvoke($running))

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'ZAiInvalidMediaUrl,ZAi.PowerShell.Commands.SaveZAiMediaCommand'
            $failures[0].Exception.Message | Should -BeLike "The link of the image 0 of task 'redirected' redirected from * to a file: URL, which is refused: not an http or https URL*"
            @(Get-ChildItem -LiteralPath $folder -Force -ErrorAction SilentlyContinue).Count | Should -Be 0
        }
        finally { $ps.Dispose(); $listener.Close() }
    }
}
