# Downloads against curl in the same run, on the emulator's media host (issue #20): one 32 MiB video from a host
# that gives each connection 2 MiB/s, with and without byte ranges; 200 files of 1 MiB 50 ms from the client;
# one 1 GiB file on bare loopback, each output deleted and synced before the next timing.

function Measure-DownloadBench {
    param([string] $Base, [string] $WorkDir, [int] $Rounds = 1)
    $dir = Join-Path $WorkDir 'bench-download'
    if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    New-Item -ItemType Directory $dir | Out-Null
    $clear = { Remove-Item $dir/* -Force -ErrorAction SilentlyContinue; if (Get-Command sync -ErrorAction SilentlyContinue) { & sync } }
    $rows = @()

    # One 32 MiB video, 2 MiB/s per connection: curl is bound to one connection, Save splits the file.
    foreach ($ranges in $true, $false) {
        $id = "bench-throttled-$ranges"
        New-EmulatorTasks $Base @(@{ id = $id; kind = 'video'; mediaSize = 32MB })
        $result = Get-ZAiAsyncResult $id
        $url = $result.VideoResult[0].Url
        Set-EmulatorConfig $Base @{ media = @{ bytesPerSecond = 2MB; ranges = $ranges } }
        $target = Join-Path $dir 'curl.mp4'
        $times = Measure-Rounds -Rounds $Rounds -Before $clear -Contenders ([ordered]@{
                ZAi  = { $result | Save-ZAiMedia -Path $dir -Kind Video -Force -ErrorAction Stop | Out-Null }
                Curl = { & curl -s -f -o $target $url; if ($LASTEXITCODE) { throw "curl failed: $LASTEXITCODE" } }
            })
        $hash = (Get-FileHash (Join-Path $dir "$id.mp4")).Hash
        & curl -s -f -o $target $url
        if ($hash -ne (Get-FileHash $target).Hash) { throw "The file Save-ZAiMedia saved differs from curl's." }
        $ratio = $times.Curl / $times.ZAi
        $rows += [pscustomobject]@{
            Benchmark = "32 MiB, 2 MiB/s per connection, ranges $(if ($ranges) { 'on' } else { 'off' })"; 'ZAi ms' = [math]::Round($times.ZAi)
            Peer = 'curl -o'; 'Peer ms' = [math]::Round($times.Curl); Ratio = '{0:0.00}x curl' -f $ratio
            Target = if ($ranges) { '>= 3x curl' } else { '>= 0.95x curl, same bytes' }; Met = if ($ranges) { $ratio -ge 3 } else { $ratio -ge 0.95 }
        }
    }
    Set-EmulatorConfig $Base @{ media = @{ bytesPerSecond = 0; ranges = $true } }

    # 200 files of 1 MiB, 50 ms to the first byte of each: Save's defaults against curl --parallel (8 at once).
    Set-EmulatorConfig $Base @{ media = @{ latencyMs = 50 } }
    New-EmulatorTasks $Base @(1..200 | ForEach-Object { @{ id = "bench-small-$_"; kind = 'image'; mediaSize = 1MB } })
    $results = Get-ZAiAsyncResult (1..200 | ForEach-Object { "bench-small-$_" })
    $config = Join-Path $WorkDir 'bench-curl.txt'
    $results | ForEach-Object { "url = `"$($_.ImageResult[0].Url)`"`noutput = `"$(Join-Path $dir "$($_.Id).curl.png")`"" } | Set-Content $config
    $times = Measure-Rounds -Rounds ([math]::Max(3, $Rounds)) -Before $clear -Contenders ([ordered]@{
            ZAi  = { $saved = @($results | Save-ZAiMedia -Path $dir -ErrorAction Stop).Count; if ($saved -ne 200) { throw "Save-ZAiMedia saved $saved of 200 files." } }
            Curl = { & curl -s -f --no-progress-meter --parallel --parallel-max 8 -K $config; if ($LASTEXITCODE) { throw "curl failed: $LASTEXITCODE" } }
        })
    $ratio = $times.Curl / $times.ZAi
    $rows += [pscustomobject]@{
        Benchmark = '200 x 1 MiB, 50 ms to first byte'; 'ZAi ms' = [math]::Round($times.ZAi); Peer = 'curl --parallel --parallel-max 8'; 'Peer ms' = [math]::Round($times.Curl)
        Ratio = '{0:0.00}x curl' -f $ratio; Target = '>= 1.2x curl'; Met = $ratio -ge 1.2
    }
    Set-EmulatorConfig $Base @{ media = @{ latencyMs = 0 } }

    # One 1 GiB file on bare loopback; every output deleted and synced before the next timing.
    New-EmulatorTasks $Base @(@{ id = 'bench-gib'; kind = 'video'; mediaSize = 1GB })
    $big = Get-ZAiAsyncResult 'bench-gib'
    $url = $big.VideoResult[0].Url
    $target = Join-Path $dir 'curl.mp4'
    $times = Measure-Rounds -Rounds ([math]::Max(3, $Rounds)) -Before $clear -Contenders ([ordered]@{
            ZAi  = { $big | Save-ZAiMedia -Path $dir -Kind Video -ErrorAction Stop | Out-Null }
            Curl = { & curl -s -f -o $target $url; if ($LASTEXITCODE) { throw "curl failed: $LASTEXITCODE" } }
        })
    $ratio = $times.Curl / $times.ZAi
    $rows += [pscustomobject]@{
        Benchmark = '1 GiB, bare loopback, synced'; 'ZAi ms' = [math]::Round($times.ZAi); Peer = 'curl -o'; 'Peer ms' = [math]::Round($times.Curl)
        Ratio = '{0:0.00}x curl' -f $ratio; Target = '>= 0.9x curl'; Met = $ratio -ge 0.9
    }
    Remove-Item $dir -Recurse -Force
    $rows
}

function Measure-NginxDownloadBench {
    <# The same rows on nginx (when installed), the issue's reference host: limit_rate gives each connection
       2 MiB/s, max_ranges 0 turns ranges off; nginx cannot add time to first byte, so the 200-file row is
       the emulator's only. nginx runs in the foreground on a free loopback port and is stopped at the end. #>
    param([string] $WorkDir, [int] $Rounds = 1)
    $nginx = Get-Command nginx -ErrorAction SilentlyContinue
    if (-not $nginx) { return }
    $root = Join-Path $WorkDir 'bench-nginx'
    if (Test-Path $root) { Remove-Item $root -Recurse -Force }
    $files = Join-Path $root 'files'; $dir = Join-Path $root 'out'
    New-Item -ItemType Directory $files, $dir | Out-Null
    $random = [byte[]]::new(32MB); [Random]::new(20).NextBytes($random)
    [IO.File]::WriteAllBytes((Join-Path $files 'v32.mp4'), $random)
    $stream = [IO.File]::Create((Join-Path $files 'v1g.mp4'))
    try { foreach ($i in 1..32) { $stream.Write($random, 0, $random.Length) } } finally { $stream.Dispose() }
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $mime = if (Test-Path /etc/nginx/mime.types) { 'include /etc/nginx/mime.types;' } else { 'types { video/mp4 mp4; }' }
    $conf = Join-Path $root 'nginx.conf'
    @"
daemon off; master_process off; worker_processes 1; pid $root/nginx.pid; error_log $root/error.log;
events { worker_connections 512; }
http { $mime access_log off; sendfile on; client_body_temp_path $root; proxy_temp_path $root; fastcgi_temp_path $root; uwsgi_temp_path $root; scgi_temp_path $root;
  server { listen 127.0.0.1:$port;
    location /throttled/ { alias $files/; limit_rate 2m; }
    location /noranges/ { alias $files/; limit_rate 2m; max_ranges 0; }
    location /bare/ { alias $files/; } } }
"@ | Set-Content $conf
    $process = Start-Process $nginx.Source -ArgumentList '-c', $conf, '-p', $root -PassThru -NoNewWindow
    $rows = @()
    try {
        $base = "http://127.0.0.1:$port"
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ($true) {
            try { Invoke-WebRequest "$base/bare/v32.mp4" -Method Head | Out-Null; break } catch { if ([DateTime]::UtcNow -gt $deadline) { throw } ; Start-Sleep -Milliseconds 50 }
        }
        $clear = { Remove-Item $dir/* -Force -ErrorAction SilentlyContinue; if (Get-Command sync -ErrorAction SilentlyContinue) { & sync } }
        foreach ($case in @(
                @{ Name = 'nginx: 32 MiB, limit_rate 2m, ranges on'; Path = 'throttled/v32.mp4'; Size = 32MB; Target = '>= 3x curl'; Goal = 3; Rounds = $Rounds }
                @{ Name = 'nginx: 32 MiB, limit_rate 2m, max_ranges 0'; Path = 'noranges/v32.mp4'; Size = 32MB; Target = '>= 0.95x curl, same bytes'; Goal = 0.95; Rounds = $Rounds }
                @{ Name = 'nginx: 1 GiB, bare loopback, synced'; Path = 'bare/v1g.mp4'; Size = 1GB; Target = '>= 0.9x curl'; Goal = 0.9; Rounds = [math]::Max(3, $Rounds) })) {
            $url = "$base/$($case.Path)"
            $item = [pscustomobject]@{ TaskId = 'nginx'; Url = $url; CoverImageUrl = $null }
            $target = Join-Path $dir 'curl.mp4'
            $times = Measure-Rounds -Rounds $case.Rounds -Before $clear -Contenders ([ordered]@{
                    ZAi  = { Save-ZAiMedia -InputObject $item -Path $dir -Kind Video -Force -ErrorAction Stop | Out-Null }
                    Curl = { & curl -s -f -o $target $url; if ($LASTEXITCODE) { throw "curl failed: $LASTEXITCODE" } }
                })
            Save-ZAiMedia -InputObject $item -Path $dir -Kind Video -Force -ErrorAction Stop | Out-Null
            if ((Get-FileHash (Join-Path $dir 'nginx.mp4')).Hash -ne (Get-FileHash (Join-Path $files (Split-Path $case.Path -Leaf))).Hash) { throw "$($case.Name): the saved file differs from the served one." }
            $ratio = $times.Curl / $times.ZAi
            $rows += [pscustomobject]@{
                Benchmark = $case.Name; 'ZAi ms' = [math]::Round($times.ZAi); Peer = 'curl -o'; 'Peer ms' = [math]::Round($times.Curl)
                Ratio = '{0:0.00}x curl' -f $ratio; Target = $case.Target; Met = $ratio -ge $case.Goal
            }
        }
    }
    finally {
        if (-not $process.HasExited) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
        Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
    }
    $rows
}
