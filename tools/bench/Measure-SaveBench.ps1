# Rows 3 and 4: one 1 GiB file against curl and Invoke-WebRequest (and the peak working set of that download),
# and 200 files of 1 MiB against a sequential Invoke-WebRequest loop, on loopback and with 50 ms latency.

function Measure-SaveBench {
    param([string] $Base, [string] $ModuleDir, [string] $WorkDir)
    $dir = Join-Path $WorkDir 'bench-media'
    if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    New-Item -ItemType Directory $dir | Out-Null
    $rows = @()

    # One 1 GiB file: throughput against curl -o and Invoke-WebRequest -OutFile, medians of 5 runs each.
    $size = 1GB
    New-EmulatorTasks $Base @(@{ id = 'bench-big'; kind = 'video'; mediaSize = $size })
    $big = Get-ZAiAsyncResult 'bench-big'
    $url = $big.VideoResult[0].Url
    Initialize-EmulatorMedia $url
    $target = Join-Path $dir 'bench-big.mp4'
    # Interleaved rounds, each run after the previous file is deleted and the page cache flushed, so one
    # run's 1 GiB writeback does not land on the next one's clock.
    $times = Measure-Rounds -Rounds 5 -Before { Remove-Item $dir/* -Force -ErrorAction SilentlyContinue; if (Get-Command sync -ErrorAction SilentlyContinue) { & sync } } -Contenders ([ordered]@{
            ZAi  = { $big | Save-ZAiMedia -Path $dir -Kind Video -ErrorAction Stop | Out-Null }
            Curl = { & curl -s -f -o $target $url; if ($LASTEXITCODE) { throw "curl failed: $LASTEXITCODE" } }
            Iwr  = { Invoke-WebRequest -Uri $url -OutFile $target }
        })
    $zai = $times.ZAi; $curl = $times.Curl; $iwr = $times.Iwr
    $mibPerSec = { param($ms) ($size / 1MB) / ($ms / 1000) }
    $rows += [pscustomobject]@{
        Benchmark = '1 GiB file'; 'ZAi ms' = [math]::Round($zai); Peer = ('curl -o ({0:0} MiB/s)' -f (& $mibPerSec $curl)); 'Peer ms' = [math]::Round($curl)
        Ratio = '{0:0.00}x curl throughput' -f ($curl / $zai); Target = '>= 0.9x curl'; Met = ($curl / $zai) -ge 0.9
    }
    $rows += [pscustomobject]@{
        Benchmark = '1 GiB file'; 'ZAi ms' = [math]::Round($zai); Peer = ('Invoke-WebRequest -OutFile ({0:0} MiB/s)' -f (& $mibPerSec $iwr)); 'Peer ms' = [math]::Round($iwr)
        Ratio = '{0:0.00}x faster' -f ($iwr / $zai); Target = 'report'; Met = $zai -le $iwr
    }

    # Peak working set growth, in a fresh process so nothing else inflates it. clear_refs resets Linux's peak.
    Remove-Item $dir/* -Force -ErrorAction SilentlyContinue
    $xml = Join-Path $WorkDir 'bench-big.xml'
    $big | Export-Clixml $xml
    $memoryScript = @"
Import-Module '$(Join-Path $ModuleDir 'ZAi.psd1')'
`$result = Import-Clixml '$xml'
[GC]::Collect()
`$self = Get-Process -Id `$PID
if (Test-Path "/proc/`$PID/clear_refs") { [IO.File]::WriteAllText("/proc/`$PID/clear_refs", '5') }
`$self.Refresh(); `$before = `$self.WorkingSet64
`$result | Save-ZAiMedia -Path '$dir' -Kind Video -ErrorAction Stop | Out-Null
`$self.Refresh()
'GROWTH=' + (`$self.PeakWorkingSet64 - `$before)
"@
    $command = @(Get-PwshCommand)
    $exe = $command[0]; $prefix = @($command | Select-Object -Skip 1)
    $printed = & $exe @prefix -NoProfile -NonInteractive -Command $memoryScript
    $growth = [long](($printed | Where-Object { $_ -like 'GROWTH=*' }) -replace 'GROWTH=', '')
    $rows += [pscustomobject]@{
        Benchmark = '1 GiB file: peak working set growth'; 'ZAi ms' = '{0:0.0} MiB' -f ($growth / 1MB); Peer = 'limit'; 'Peer ms' = '64 MiB'
        Ratio = '{0:0.00}x limit' -f ($growth / 64MB); Target = '< 64 MiB'; Met = $growth -lt 64MB
    }
    Remove-Item $dir/* -Force -ErrorAction SilentlyContinue

    # 200 files of 1 MiB: default throttle against a sequential Invoke-WebRequest loop, on loopback and
    # with 50 ms added per response (a far media host), where concurrency is what users gain.
    foreach ($latency in 0, 50) {
        Set-EmulatorConfig $Base @{ latencyMs = $latency }
        $prefix200 = "bench-200-$latency"
        New-EmulatorTasks $Base @(1..200 | ForEach-Object { @{ id = "$prefix200-$_"; kind = 'image'; mediaSize = 1MB } })
        $results = Get-ZAiAsyncResult (1..200 | ForEach-Object { "$prefix200-$_" })
        Initialize-EmulatorMedia @($results | ForEach-Object { $_.ImageResult[0].Url })
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $saved = @($results | Save-ZAiMedia -Path $dir -ErrorAction Stop).Count
        $zaiMs = $watch.Elapsed.TotalMilliseconds
        if ($saved -ne 200) { throw "Save-ZAiMedia saved $saved of 200 files." }
        Remove-Item $dir/* -Force
        $watch.Restart()
        foreach ($r in $results) { Invoke-WebRequest -Uri $r.ImageResult[0].Url -OutFile (Join-Path $dir "$($r.Id).png") }
        $iwrMs = $watch.Elapsed.TotalMilliseconds
        Remove-Item $dir/* -Force
        $rows += [pscustomobject]@{
            Benchmark = "200 x 1 MiB, +$latency ms per response"; 'ZAi ms' = [math]::Round($zaiMs); Peer = 'sequential Invoke-WebRequest -OutFile'; 'Peer ms' = [math]::Round($iwrMs)
            Ratio = '{0:0.0}x faster' -f ($iwrMs / $zaiMs); Target = '>= 4x faster'; Met = ($iwrMs / $zaiMs) -ge 4
        }
    }
    Set-EmulatorConfig $Base @{ latencyMs = 0 }
    Remove-Item $dir -Recurse -Force
    $rows
}

function Initialize-EmulatorMedia {
    <# The emulator draws each real picture or video on its first request; one byte of each file first, so
       every contender downloads files already drawn and the rows compare transfers, not the emulator's encoder. #>
    param([string[]] $Url)
    foreach ($u in $Url) { Invoke-WebRequest -Uri $u -Headers @{ Range = 'bytes=0-0' } | Out-Null }
}
