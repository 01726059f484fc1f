BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator

    function Set-MediaHost {
        <# The media host's settings; whatever is not named goes back to its default (one slow connection included). #>
        param([long] $BytesPerSecond = 0, [bool] $Ranges = $true, [int] $SlowConnection = 0, [long] $SlowBytesPerSecond = 16KB)
        $body = @{ media = @{ bytesPerSecond = $BytesPerSecond; ranges = $Ranges; latencyMs = 0; slowConnection = $SlowConnection; slowBytesPerSecond = $SlowBytesPerSecond; etag = 'strong'; lastModified = 'past'; ignoreIfRange = $false } } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/config" -ContentType 'application/json' -Body $body | Out-Null
    }

    function Get-Ledger {
        <# The ranges '<name>.partial.ranges' records (start, length, done), or nothing while it does not exist. #>
        param([string] $Path)
        if (-not (Test-Path $Path)) { return }
        $lines = @(Get-Content $Path -ErrorAction SilentlyContinue)
        foreach ($line in ($lines | Select-Object -Skip 4)) {
            $start, $length, $done = $line -split ' ' | ForEach-Object { [long]$_ }
            [pscustomobject]@{ Start = $start; Length = $length; Done = $done }
        }
    }

    function Wait-RequestLogged {
        <# Waits until the emulator has logged every media request of the task it has received (it logs a request
           when its answer ends); returns how many there are. #>
        param([string] $Id)
        $count = (Get-EmulatorTask $Id).mediaRequestCount
        Wait-EmulatorCondition { @(Get-RangeHeader $Id).Count -ge $count }
        $count
    }

    function Get-RangeHeader {
        param([string] $Id)
        @(Get-EmulatorRequest -TaskId $Id -PathContains '/media/' | ForEach-Object {
                $headers = $_.headers
                if ($headers.PSObject.Properties['Range']) { $headers.Range } else { '(whole file)' }
            })
    }

    function Assert-OnlyMissingFetched {
        <# The range headers of a re-run ask only for bytes the ledger did not hold (a slow range's rest may be taken
           over, so how many requests that makes is not fixed), and the first missing byte of every incomplete range. #>
        param([string[]] $Header, [object[]] $Ranges)
        $missing = @($Ranges | Where-Object { $_.Done -lt $_.Length })
        $Header | Should -Not -Contain '(whole file)'
        foreach ($h in $Header) {
            $first, $last = ($h -replace '^bytes=', '') -split '-' | ForEach-Object { [long]$_ }
            @($missing | Where-Object { $first -ge $_.Start + $_.Done -and $last -le $_.Start + $_.Length - 1 }).Count | Should -Be 1 -Because "$h asks only for missing bytes"
        }
        foreach ($m in $missing) {
            @($Header | Where-Object { $_ -like ('bytes={0}-*' -f ($m.Start + $m.Done)) }).Count | Should -BeGreaterThan 0 -Because 'every incomplete range resumes where it stopped'
        }
    }

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("zai-ranged-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory $Work | Out-Null
}

AfterAll {
    Set-MediaHost
    Disconnect-ZAi
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Save-ZAiMedia over several connections per file' {
    AfterEach { Set-MediaHost }

    It 'saves a large file over -ConnectionsPerFile connections with exact bytes when one connection is slow' {
        $id = New-TestId 'ranged'
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 8MB } | Out-Null
        Set-MediaHost -BytesPerSecond 2MB # one connection would take 4 s: worth splitting after the first 0.5 s
        $folder = Join-Path $Work $id

        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $folder -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB

        $file.Length | Should -Be 8MB
        $null = Wait-RequestLogged $id
        # How far the first answer got before the others opened depends on the machine, so which quarters the others
        # asked does too: what holds is one whole-file request, and range requests that each end at a quarter's end.
        $headers = @(Get-RangeHeader $id)
        @($headers | Where-Object { $_ -eq '(whole file)' }).Count | Should -Be 1
        $ranged = @($headers | Where-Object { $_ -ne '(whole file)' })
        $ranged.Count | Should -BeGreaterThan 0
        foreach ($h in $ranged) { (([long]($h -split '-')[-1]) + 1) % 2MB | Should -Be 0 -Because "$h ends at a quarter's end" }
        Set-MediaHost
        $clean = Join-Path $Work "$id.clean"
        Invoke-WebRequest -Uri $file.SourceUrl -OutFile $clean
        ($file | Get-FileHash).Hash | Should -Be (Get-FileHash $clean).Hash
        @(Get-ChildItem $folder).Name | Should -Be "$id.mp4"
    }

    It 'a ranged download killed part-way resumes on the next run without fetching the finished ranges again' {
        $id = New-TestId 'killed'
        # Each of the three range requests sends 64 KiB and then stalls until the process is killed; the first answer,
        # paced at 1 MiB/s (too slow to pass the first range before the 0.5 s probe ends, so exactly three range
        # requests meet the three stalls), finishes the first range meanwhile. Once it has, it may take over the rest
        # of a stalled range: the ledger then holds more ranges, each of them as true as before.
        $stall = @{ type = 'stall'; afterBytes = 65536 }
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 8MB; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'slow'; delayMs = 0 }, $stall, $stall, $stall) } } | Out-Null
        Set-MediaHost -BytesPerSecond 1MB
        $folder = Join-Path $Work $id
        $ledger = Join-Path $folder "$id.partial.ranges"
        $script = "Import-Module '$env:ZAI_TEST_MODULE'; " +
            "Connect-ZAi -ApiKey (ConvertTo-SecureString '$(Get-TestApiKey)' -AsPlainText -Force) -BaseUri '$(Get-TestEmulatorUrl)'; " +
            "Get-ZAiAsyncResult '$id' | Save-ZAiMedia -Path '$folder' -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB | Out-Null"
        $command = @(Get-PwshCommand)
        $info = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($a) }
        $info.UseShellExecute = $false
        $child = [Diagnostics.Process]::Start($info)
        try {
            Wait-EmulatorCondition -TimeoutSec 60 {
                $ranges = @(Get-Ledger $ledger)
                @($ranges | Where-Object { $_.Done -eq $_.Length }).Count -ge 1 -and @($ranges | Where-Object { $_.Done -lt $_.Length }).Count -eq 3 -and
                    @($ranges | Where-Object { $_.Done -lt $_.Length -and $_.Done -ne 65536 }).Count -eq 0
            }
        }
        finally {
            $child.Kill($true)
            $child.WaitForExit()
        }
        Test-Path (Join-Path $folder "$id.mp4") | Should -BeFalse
        $kept = @(Get-Ledger $ledger)
        $before = Wait-RequestLogged $id
        Set-MediaHost

        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $folder -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB

        $file.Length | Should -Be 8MB
        $null = Wait-RequestLogged $id
        Assert-OnlyMissingFetched -Header @(Get-RangeHeader $id | Select-Object -Skip $before) -Ranges $kept
        $clean = Join-Path $Work "$id.clean"
        Invoke-WebRequest -Uri $file.SourceUrl -OutFile $clean
        ($file | Get-FileHash).Hash | Should -Be (Get-FileHash $clean).Hash
        @(Get-ChildItem $folder).Name | Should -Be "$id.mp4"
    }

    It 'takes over the rest of a range stuck on a slow connection' {
        $id = New-TestId 'slowone'
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 8MB } | Out-Null
        # Every connection gets 1 MiB/s, so the file is split after the probe; the second connection to reach the host
        # (one of the range requests) gets 32 KiB/s: its 2 MiB range alone would take a minute.
        Set-MediaHost -BytesPerSecond 1MB -SlowConnection 2 -SlowBytesPerSecond 32KB
        $folder = Join-Path $Work $id

        $watch = [Diagnostics.Stopwatch]::StartNew()

        $out = @(Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $folder -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB -Verbose 4>&1)

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'the file takes seconds, not the minute of its slow range'
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*takes over bytes*' }) | Should -Not -BeNullOrEmpty
        $file = $out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $file.Length | Should -Be 8MB
        Set-MediaHost
        $clean = Join-Path $Work "$id.clean"
        Invoke-WebRequest -Uri $file.SourceUrl -OutFile $clean
        ($file | Get-FileHash).Hash | Should -Be (Get-FileHash $clean).Hash
    }

    It 'saves a large file over one connection when that one is fast enough' {
        $id = New-TestId 'fast'
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 8MB } | Out-Null

        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (Join-Path $Work $id) -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB

        $file.Length | Should -Be 8MB
        Wait-EmulatorCondition { @(Get-RangeHeader $id).Count -ge 1 }
        @(Get-RangeHeader $id) | Should -Be '(whole file)'
    }

    It 'refuses a link to the link-local metadata address as ZAiInvalidMediaUrl naming it, sending nothing' {
        $result = [pscustomobject]@{ PSTypeName = 'ZAi.VideoResult'; TaskId = 'meta-1'; Url = 'http://169.254.169.254/latest/meta-data/iam/x.mp4'; CoverImageUrl = $null }
        $folder = Join-Path $Work 'meta'

        $errors = $null
        Save-ZAiMedia -InputObject $result -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidMediaUrl*'
        $errors[0].Exception.Message | Should -BeLike '*169.254.169.254*link-local*'
        Test-Path $folder | Should -BeFalse
    }
}

Describe 'Ctrl+C during a ranged download' {
    It 'stops at once, keeps the ranges done, and the next run finishes with exact bytes' {
        $id = New-TestId 'stopped'
        $stall = @{ type = 'stall'; afterBytes = 65536 }
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 8MB; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'slow'; delayMs = 0 }, $stall, $stall, $stall) } } | Out-Null
        Set-MediaHost -BytesPerSecond 1MB
        $folder = Join-Path $Work $id
        $ledger = Join-Path $folder "$id.partial.ranges"
        $shell = New-ConnectedShell
        try {
            $null = $shell.AddScript("Get-ZAiAsyncResult '$id' | Save-ZAiMedia -Path '$folder' -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB")
            $running = $shell.BeginInvoke()
            Wait-EmulatorCondition { @(Get-Ledger $ledger | Where-Object { $_.Done -eq $_.Length }).Count -ge 1 }

            $null = Stop-TestShell $shell -WithinSec 2

            $running.IsCompleted | Should -BeTrue
        }
        finally {
            $shell.Dispose()
        }
        Test-Path (Join-Path $folder "$id.mp4") | Should -BeFalse
        $kept = @(Get-Ledger $ledger)
        @($kept | Where-Object { $_.Done -eq $_.Length }).Count | Should -BeGreaterOrEqual 1
        @($kept | Where-Object { $_.Done -lt $_.Length }).Count | Should -BeGreaterOrEqual 1
        $before = Wait-RequestLogged $id
        Set-MediaHost

        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $folder -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB

        $null = Wait-RequestLogged $id
        Assert-OnlyMissingFetched -Header @(Get-RangeHeader $id | Select-Object -Skip $before) -Ranges $kept
        $clean = Join-Path $Work "$id.clean"
        Invoke-WebRequest -Uri $file.SourceUrl -OutFile $clean
        ($file | Get-FileHash).Hash | Should -Be (Get-FileHash $clean).Hash
    }
}
