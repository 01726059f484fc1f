BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator

    function Set-MediaHost {
        param([long] $BytesPerSecond = 0, [bool] $Ranges = $true)
        $body = @{ media = @{ bytesPerSecond = $BytesPerSecond; ranges = $Ranges; latencyMs = 0 } } | ConvertTo-Json
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
        Wait-EmulatorCondition { @(Get-RangeHeader $id).Count -ge 4 } # the emulator logs a request when its answer ends
        @(Get-RangeHeader $id | Sort-Object) | Should -Be @('(whole file)', 'bytes=2097152-4194303', 'bytes=4194304-6291455', 'bytes=6291456-8388607')
        Set-MediaHost
        $clean = Join-Path $Work "$id.clean"
        Invoke-WebRequest -Uri $file.SourceUrl -OutFile $clean
        ($file | Get-FileHash).Hash | Should -Be (Get-FileHash $clean).Hash
        @(Get-ChildItem $folder).Name | Should -Be "$id.mp4"
    }

    It 'a ranged download killed part-way resumes on the next run without fetching the finished ranges again' {
        $id = New-TestId 'killed'
        # The second request (one of the ranges) sends 64 KiB and then stalls until the process is killed; the
        # other ranges, paced at 4 MiB/s per connection, finish meanwhile.
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 8MB; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'slow'; delayMs = 0 }, @{ type = 'stall'; afterBytes = 65536 }) } } | Out-Null
        Set-MediaHost -BytesPerSecond 4MB
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
                $ranges.Count -eq 4 -and @($ranges | Where-Object { $_.Done -eq $_.Length }).Count -eq 3 -and @($ranges | Where-Object { $_.Done -eq 65536 }).Count -eq 1
            }
        }
        finally {
            $child.Kill($true)
            $child.WaitForExit()
        }
        Test-Path (Join-Path $folder "$id.mp4") | Should -BeFalse
        $stalled = @(Get-Ledger $ledger) | Where-Object { $_.Done -lt $_.Length }
        $before = Wait-RequestLogged $id
        Set-MediaHost

        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $folder -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB

        $file.Length | Should -Be 8MB
        (Wait-RequestLogged $id) | Should -Be ($before + 1)
        $headers = @(Get-RangeHeader $id)
        $clean = Join-Path $Work "$id.clean"
        Invoke-WebRequest -Uri $file.SourceUrl -OutFile $clean
        ($file | Get-FileHash).Hash | Should -Be (Get-FileHash $clean).Hash
        $headers | Should -Contain ('bytes={0}-{1}' -f ($stalled.Start + 65536), ($stalled.Start + $stalled.Length - 1))
        @($headers | Where-Object { $_ -eq '(whole file)' }).Count | Should -Be 1
        @(Get-ChildItem $folder).Name | Should -Be "$id.mp4"
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
        New-EmulatorTask @{ id = $id; kind = 'video'; mediaSize = 8MB; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'slow'; delayMs = 0 }, @{ type = 'stall'; afterBytes = 65536 }) } } | Out-Null
        Set-MediaHost -BytesPerSecond 4MB
        $folder = Join-Path $Work $id
        $ledger = Join-Path $folder "$id.partial.ranges"
        $shell = New-ConnectedShell
        try {
            $null = $shell.AddScript("Get-ZAiAsyncResult '$id' | Save-ZAiMedia -Path '$folder' -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB")
            $running = $shell.BeginInvoke()
            Wait-EmulatorCondition { @(Get-Ledger $ledger | Where-Object { $_.Done -eq $_.Length }).Count -eq 3 }

            $null = Stop-TestShell $shell -WithinSec 2

            $running.IsCompleted | Should -BeTrue
        }
        finally {
            $shell.Dispose()
        }
        Test-Path (Join-Path $folder "$id.mp4") | Should -BeFalse
        @(Get-Ledger $ledger | Where-Object { $_.Done -eq $_.Length }).Count | Should -Be 3
        $before = Wait-RequestLogged $id
        Set-MediaHost

        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $folder -Kind Video -ConnectionsPerFile 4 -SplitThreshold 2MB

        (Wait-RequestLogged $id) | Should -Be ($before + 1)
        $clean = Join-Path $Work "$id.clean"
        Invoke-WebRequest -Uri $file.SourceUrl -OutFile $clean
        ($file | Get-FileHash).Hash | Should -Be (Get-FileHash $clean).Hash
    }
}
