<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages the ZAi module.
.DESCRIPTION
    Tasks run in the order given and can be chained: ./build.ps1 Clean Build Test
      Build  - out/ZAi: manifest, ZAi.PowerShell.dll and its netstandard2.0 dependencies, format file.
      Test   - xUnit tests of the C# core, the load-closure check of out/ZAi (its dlls' references resolved
               as Windows PowerShell 5.1 and PowerShell 7.4 would), a smoke run of the core on .NET 8 and
               Mono (when installed), then Pester tests of the built module against the local emulator;
               ends with the line 'N passed, N failed' and a non-zero exit on any failure.
      Demo   - builds, starts the emulator and runs the pipeline a user would type.
      Bench  - timings against peers measured in the same run, printed as ratios.
      Package- out/package/ZAi.<version>.nupkg, the package the PowerShell Gallery would receive.
      Clean  - removes out/ and the projects' bin/obj folders.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0, ValueFromRemainingArguments = $true)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'ZAi'
$ModuleProject = Join-Path $Root 'src/ZAi.PowerShell/ZAi.PowerShell.csproj'
$EmulatorProject = Join-Path $Root 'tests/ZAi.Emulator/ZAi.Emulator.csproj'
$UnitTestProject = Join-Path $Root 'tests/ZAi.PowerShell.Tests/ZAi.PowerShell.Tests.csproj'
$PesterVersion = '5.7.1'
$EmulatorApiKey = 'sk-zai-emulator-7f3a9c1e5b2d4a6f'

function Invoke-Dotnet {
    # A simple function (no param block) so switches like -o and -c pass straight through to dotnet.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-PwshCommand {
    # Under 'dotnet pwsh' the process is dotnet and pwsh.dll is the entry assembly.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, [Reflection.Assembly]::GetEntryAssembly().Location)
    }
    return @($process)
}

function Invoke-ChildPwsh {
    param([string] $Script, [hashtable] $Environment = @{})
    $command = @(Get-PwshCommand)
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $exe = $command[0]
        $prefix = @($command | Select-Object -Skip 1)
        & $exe @prefix -NoProfile -NonInteractive -Command $Script | Out-Host
        return $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list | Select-Object -First 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Build {
    Write-Host '== Build' -ForegroundColor Cyan
    $publish = Join-Path $OutDir 'publish'
    Invoke-Dotnet publish $ModuleProject -c $Configuration -o $publish --nologo -v quiet
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleDir | Out-Null
    # Only what PowerShell loads: the module dll and its runtime dependencies (no pdb, xml docs or deps.json).
    Get-ChildItem $publish -Filter *.dll | Copy-Item -Destination $ModuleDir
    Copy-Item (Join-Path $Root 'ZAi.psd1') $ModuleDir
    Set-ReleaseNotes (Join-Path $ModuleDir 'ZAi.psd1')
    Copy-Item (Join-Path $Root 'src/ZAi.PowerShell/ZAi.format.ps1xml') $ModuleDir
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleDir
    Remove-Item $publish -Recurse -Force
    Build-Help
    Write-Host "Module: $ModuleDir"
}

function Build-Help {
    <# MAML help and about_ZAi.help.txt from docs/en-US: PlatyPS's New-ExternalHelp when it is installed,
       otherwise the build's own converter (src/ZAi.HelpBuilder, Markdig + YamlDotNet). #>
    $docs = Join-Path $Root 'docs/en-US'
    $helpDir = Join-Path $ModuleDir 'en-US'
    Invoke-Dotnet run --project (Join-Path $Root 'src/ZAi.HelpBuilder') -c $Configuration -v quiet -- $docs $helpDir
    if (Get-Module -ListAvailable platyPS) {
        Import-Module platyPS
        New-ExternalHelp -Path $docs -OutputPath $helpDir -Force | Out-Null
        Write-Host "Help: PlatyPS New-ExternalHelp -> $helpDir"
    }
    else {
        Write-Host "Help: ZAi.HelpBuilder -> $helpDir"
    }
}

function Set-ReleaseNotes {
    <# Puts the newest CHANGELOG.md section into the built manifest's PSData.ReleaseNotes. #>
    param([string] $Manifest)
    $changelog = Get-Content -Raw (Join-Path $Root 'CHANGELOG.md')
    $section = [regex]::Match($changelog, '(?ms)^## .*?(?=^## |\z)').Value.Trim()
    $text = (Get-Content -Raw $Manifest).Replace("ReleaseNotes = 'See CHANGELOG.md.'", "ReleaseNotes = '$($section.Replace("'", "''"))'")
    Set-Content -Path $Manifest -Value $text -NoNewline
}

function Invoke-IsolatedPwsh {
    <# Runs a script in a fresh pwsh whose HOME is a temporary folder, so repository registrations and
       installed modules never touch the user's own. Returns the exit code. #>
    param([string] $Script, [string] $HomeDir)
    $saved = @{}
    $isolated = @{ HOME = $HomeDir; XDG_DATA_HOME = (Join-Path $HomeDir '.local/share'); XDG_CONFIG_HOME = (Join-Path $HomeDir '.config'); XDG_CACHE_HOME = (Join-Path $HomeDir '.cache'); LOCALAPPDATA = (Join-Path $HomeDir 'AppData/Local'); USERPROFILE = $HomeDir }
    foreach ($name in $isolated.Keys) {
        # .NET reports a special folder that does not exist yet as '', and tools then write to relative paths.
        New-Item -ItemType Directory -Force $isolated[$name] | Out-Null
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $isolated[$name])
    }
    try {
        $command = @(Get-PwshCommand)
        $exe = $command[0]; $prefix = @($command | Select-Object -Skip 1)
        & $exe @prefix -NoProfile -NonInteractive -Command $Script | Out-Host
        $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Invoke-Package {
    Write-Host '== Package' -ForegroundColor Cyan
    $packageDir = Join-Path $OutDir 'package'
    $homeDir = Join-Path $OutDir 'package-home'
    foreach ($dir in $packageDir, $homeDir) { if (Test-Path $dir) { Remove-Item $dir -Recurse -Force } }
    New-Item -ItemType Directory $packageDir, $homeDir | Out-Null
    $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name ZAiPackage -Uri '$packageDir' -Trusted
Publish-PSResource -Path '$ModuleDir' -Repository ZAiPackage
"@
    $exit = Invoke-IsolatedPwsh -Script $script -HomeDir $homeDir
    Remove-Item $homeDir -Recurse -Force
    if ($exit -ne 0) { throw "Publish-PSResource failed with exit code $exit." }
    $package = Get-ChildItem $packageDir -Filter 'ZAi.*.nupkg' | Select-Object -First 1
    Write-Host "Package: $($package.FullName)"
    $package.FullName
}

function Build-Emulator {
    Invoke-Dotnet build $EmulatorProject -c $Configuration --nologo -v quiet
}

function Start-Emulator {
    param([int] $LatencyMs = 0)
    $dll = Join-Path $Root "tests/ZAi.Emulator/bin/$Configuration/net10.0/ZAi.Emulator.dll"
    if (-not (Test-Path $dll)) { Build-Emulator }
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--port', '0', '--api-key', $EmulatorApiKey, '--latency-ms', "$LatencyMs", '--parent-pid', "$PID")) {
        $info.ArgumentList.Add($a)
    }
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $readLine = $process.StandardOutput.ReadLineAsync()
    if (-not $readLine.Wait([TimeSpan]::FromSeconds(30)) -or $null -eq $readLine.Result) {
        $process.Kill($true)
        throw 'The emulator did not report its URL within 30 seconds.'
    }
    if ($readLine.Result -notmatch '^ZAI_EMULATOR_URL=(.+)$') {
        $process.Kill($true)
        throw "The emulator printed '$($readLine.Result)' instead of its URL."
    }
    [pscustomobject]@{ Process = $process; Url = $Matches[1] }
}

function Stop-Emulator {
    param($Emulator)
    if ($null -ne $Emulator -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.Kill($true)
        $Emulator.Process.WaitForExit(5000) | Out-Null
    }
}

function Get-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
}

function Invoke-Smoke {
    <# The module's JSON parsing, API client, downloader and resolver (tests/ZAi.Smoke) against the emulator on
       .NET 8, PowerShell 7.4's runtime, and on Mono, a .NET Framework-like runtime. Mono binds assemblies
       loosely: this shows the code runs there, not that .NET Framework binds the module's dlls (the load-closure
       check covers that). Returns the counts. #>
    param([string] $Url)
    $project = Join-Path $Root 'tests/ZAi.Smoke'
    Invoke-Dotnet build $project -c $Configuration --nologo -v quiet | Out-Host
    $net472 = Join-Path $project "bin/$Configuration/net472"
    # The dlls exactly as the module folder ships them (netstandard2.0 builds), not the net462 ones NuGet picks for an exe.
    Copy-Item (Join-Path $ModuleDir '*.dll') $net472 -Force
    $counts = [pscustomobject]@{ Passed = 0; Failed = 0 }
    $runs = [ordered]@{ '.NET 8 (PowerShell 7.4''s runtime)' = @((Get-ChildItem (Join-Path $project "bin/$Configuration/net8.0/*/ZAi.Smoke")).FullName) }
    if (Get-Command mono -ErrorAction Ignore) { $runs['Mono (binds loosely: not a test of .NET Framework binding)'] = @('mono', (Join-Path $net472 'ZAi.Smoke.exe')) }
    elseif ($env:CI -eq 'true') { Write-Host 'Smoke on Mono: mono is not installed, though .ci/run installs it.'; $counts.Failed++ }
    else { Write-Host 'Smoke on Mono: not run, mono is not installed (apt-get install mono-devel).' -ForegroundColor Yellow }
    foreach ($name in $runs.Keys) {
        Write-Host "== Test: smoke on $name" -ForegroundColor Cyan
        $command = $runs[$name]
        $output = & $command[0] @($command | Select-Object -Skip 1) $Url $EmulatorApiKey
        $exit = $LASTEXITCODE
        $output | Out-Host
        $line = $output | Select-String '(\d+) passed, (\d+) failed$' | Select-Object -Last 1
        if ($line) { $counts.Passed += [int]$line.Matches[0].Groups[1].Value; $counts.Failed += [int]$line.Matches[0].Groups[2].Value }
        if ($exit -ne 0 -and ($null -eq $line -or $line.Matches[0].Groups[2].Value -eq '0')) { $counts.Failed++ }
    }
    $counts
}

function Invoke-Test {
    Write-Host '== Test: xUnit' -ForegroundColor Cyan
    $results = Join-Path $OutDir 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null
    & dotnet test $UnitTestProject -c $Configuration --nologo --logger 'trx;LogFileName=xunit.trx' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $trxFile = Join-Path $results 'xunit.trx'
    $xunit = if (Test-Path $trxFile) { Get-TrxCounts $trxFile } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }

    Write-Host '== Test: load closure of out/ZAi on Windows PowerShell 5.1 and PowerShell 7.4' -ForegroundColor Cyan
    & dotnet test (Join-Path $Root 'tests/ZAi.LoadClosure.Tests/ZAi.LoadClosure.Tests.csproj') -c $Configuration --nologo -e "ZAI_MODULE_DIR=$ModuleDir" --logger 'trx;LogFileName=loadclosure.trx' --logger 'console;verbosity=detailed' --results-directory $results
    $closure = if (Test-Path (Join-Path $results 'loadclosure.trx')) { Get-TrxCounts (Join-Path $results 'loadclosure.trx') } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($LASTEXITCODE -ne 0 -and $closure.Failed -eq 0) { $closure.Failed = 1 }

    Write-Host '== Test: Pester' -ForegroundColor Cyan
    $pester = Join-Path (Get-NuGetPackagesFolder) "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pester)) {
        # The unit test project restores Pester with a PackageDownload item.
        Invoke-Dotnet restore $UnitTestProject
    }
    Build-Emulator
    $summary = Join-Path $results 'pester.json'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester' -RequiredVersion $PesterVersion
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $Root 'tests')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$result = Invoke-Pester -Configuration `$config
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } | ConvertTo-Json | Set-Content '$summary'
"@
    $package = Invoke-Package
    $emulator = Start-Emulator
    try {
        $smoke = Invoke-Smoke $emulator.Url
        $pesterExit = Invoke-ChildPwsh -Script $script -Environment @{
            ZAI_TEST_PACKAGE = $package
            ZAI_EMULATOR_URL = $emulator.Url
            ZAI_EMULATOR_API_KEY = $EmulatorApiKey
            ZAI_TEST_MODULE = Join-Path $ModuleDir 'ZAi.psd1'
            ZAI_API_KEY = $null
            ZAI_BASE_URL = $null
        }
    }
    finally {
        Stop-Emulator $emulator
    }
    $pesterCounts = if (Test-Path $summary) { Get-Content -Raw $summary | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { $pesterCounts.Failed = 1 }

    $passed = $xunit.Passed + $closure.Passed + $smoke.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $closure.Failed + $smoke.Failed + $pesterCounts.Failed
    Write-Host "xUnit: $($xunit.Passed) passed, $($xunit.Failed) failed. Load closure: $($closure.Passed) passed, $($closure.Failed) failed. Smoke: $($smoke.Passed) passed, $($smoke.Failed) failed. Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed."
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { $script:ExitCode = 1 }
}

function New-EmulatorTasks {
    param([string] $Url, [object[]] $Tasks)
    $root = $Url -replace '/api$', ''
    Invoke-RestMethod -Method Post -Uri "$root/_emulator/tasks" -ContentType 'application/json' -Body (ConvertTo-Json -InputObject $Tasks -Depth 10) | Out-Null
}

function Invoke-Demo {
    Build-Emulator
    $emulator = Start-Emulator
    $demoDir = Join-Path $OutDir 'demo-media'
    if (Test-Path $demoDir) { Remove-Item $demoDir -Recurse -Force }
    try {
        New-EmulatorTasks $emulator.Url @(
            @{ id = 'video-fox-in-snow'; kind = 'video'; model = 'cogvideox-3'; mediaSize = 5MB }
            @{ id = 'image-lighthouse'; kind = 'image'; imageCount = 2 }
            @{ id = 'video-still-running'; kind = 'video'; processingMs = 600000 }
            @{ id = 'video-city-at-night'; kind = 'video'; processingMs = 3000 }
            @{ id = 'video-ocean-waves'; kind = 'video'; processingMs = 1500 }
            @{ id = 'image-failed-render'; kind = 'image'; outcome = 'FAIL'; processingMs = 2000 }
        )
        # Submitted tasks run for 2 s in the emulator, then succeed with 2 MB of media.
        $root = $emulator.Url -replace '/api$', ''
        Invoke-RestMethod -Method Post -Uri "$root/_emulator/config" -ContentType 'application/json' -Body (@{ submission = @{ processingMs = 2000; mediaSize = 2MB } } | ConvertTo-Json) | Out-Null
        Import-Module (Join-Path $ModuleDir 'ZAi.psd1') -Force
        $steps = @(
            "Connect-ZAi -ApiKey (ConvertTo-SecureString '$EmulatorApiKey' -AsPlainText -Force) -BaseUri '$($emulator.Url)' -PassThru"
            "Start-ZAiVideoGeneration 'A red fox trotting through fresh snow at dawn' -Duration 10 -WithAudio -WhatIf   # shows the request, spends nothing"
            "'A red fox trotting through fresh snow at dawn', 'Waves rolling onto a beach at sunset' | Start-ZAiVideoGeneration -Duration 10 -OutVariable submitted"
            "`$submitted | Wait-ZAiAsyncResult -PollIntervalSec 0.5 | Save-ZAiMedia -Path '$demoDir'   # from prompts to files on disk"
            "Start-ZAiImageGeneration 'A lighthouse at dusk, oil painting' -Size 1568x1056 | Wait-ZAiAsyncResult -PollIntervalSec 0.5 | Save-ZAiMedia -Path '$demoDir'"
            "Get-ZAiAsyncResult video-fox-in-snow, image-lighthouse, video-still-running"
            "Get-ZAiAsyncResult video-fox-in-snow | Format-List"
            "'video-fox-in-snow', 'image-lighthouse' | Get-ZAiAsyncResult | Select-Object -ExpandProperty ImageResult"
            "Get-ZAiAsyncResult 'no-such-task' -ErrorAction SilentlyContinue -ErrorVariable failed; `$failed[0].FullyQualifiedErrorId; `$failed[0].CategoryInfo.Category"
            "Get-ZAiAsyncResult video-city-at-night, video-ocean-waves, image-failed-render | Wait-ZAiAsyncResult -PollIntervalSec 0.5 -ErrorVariable waitErrors -ErrorAction SilentlyContinue | ForEach-Object { '{0:HH:mm:ss.f}  finished: {1} ({2})' -f (Get-Date), `$_.Id, `$_.Status }"
            "`$waitErrors | ForEach-Object { '{0}: {1}' -f `$_.FullyQualifiedErrorId, `$_.TargetObject.Id }"
            "Get-ZAiAsyncResult video-fox-in-snow, image-lighthouse, video-city-at-night, video-ocean-waves | Wait-ZAiAsyncResult | Save-ZAiMedia -Path '$demoDir'"
            "Get-ZAiAsyncResult video-fox-in-snow, image-lighthouse | Save-ZAiMedia -Path '$demoDir' -Verbose  # a re-run downloads nothing"
            "Get-ChildItem '$demoDir' | Format-Table Name, Length -AutoSize"
        )
        foreach ($step in $steps) {
            Write-Host "PS> $step" -ForegroundColor Yellow
            Invoke-Expression $step | Out-Host
        }
    }
    finally {
        Stop-Emulator $emulator
    }
}

function Get-Median {
    param([double[]] $Values)
    $sorted = $Values | Sort-Object
    $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}

function Measure-Median {
    param([scriptblock] $Action, [int] $Runs = 3)
    $times = foreach ($i in 1..$Runs) { (Measure-Command $Action).TotalMilliseconds }
    Get-Median $times
}

function Invoke-Bench {
    Build-Emulator
    $emulator = Start-Emulator
    $rows = [Collections.Generic.List[object]]::new()
    try {
        Import-Module (Join-Path $ModuleDir 'ZAi.psd1') -Force
        $base = $emulator.Url
        Connect-ZAi -ApiKey (ConvertTo-SecureString $EmulatorApiKey -AsPlainText -Force) -BaseUri $base

        # Row 1: 1000 results in one pipeline.
        $ids = 1..1000 | ForEach-Object { 'bench-get-{0:d4}' -f $_ }
        New-EmulatorTasks $base @($ids | ForEach-Object { @{ id = $_; kind = 'video' } })
        $headers = @{ Authorization = "Bearer $EmulatorApiKey" }
        $curlConfig = Join-Path $OutDir 'bench-curl.cfg'
        $lines = @("header = `"Authorization: Bearer $EmulatorApiKey`"", 'silent', 'fail')
        $lines += foreach ($id in $ids) { "url = `"$base/paas/v4/async-result/$id`""; 'output = "/dev/null"' }
        Set-Content -Path $curlConfig -Value $lines

        $ids[0..20] | Get-ZAiAsyncResult | Out-Null   # warm up JIT and the connection pool
        Invoke-RestMethod -Uri "$base/paas/v4/async-result/$($ids[0])" -Headers $headers | Out-Null
        $zai = Measure-Median { $ids | Get-ZAiAsyncResult | Out-Null }
        $irm = Measure-Median { foreach ($id in $ids) { Invoke-RestMethod -Uri "$base/paas/v4/async-result/$id" -Headers $headers | Out-Null } }
        $curl = Measure-Median { & curl -K $curlConfig; if ($LASTEXITCODE -ne 0) { throw "curl failed: $LASTEXITCODE" } }
        $rows.Add([pscustomobject]@{
                Benchmark = '1000 x Get-ZAiAsyncResult'
                'ZAi ms'  = [math]::Round($zai)
                Peer      = 'Invoke-RestMethod loop'
                'Peer ms' = [math]::Round($irm)
                Ratio     = '{0:0.0}x faster' -f ($irm / $zai)
                Target    = '>= 5x faster'
                Met       = ($irm / $zai) -ge 5
            })
        $rows.Add([pscustomobject]@{
                Benchmark = '1000 x Get-ZAiAsyncResult'
                'ZAi ms'  = [math]::Round($zai)
                Peer      = 'curl, one connection'
                'Peer ms' = [math]::Round($curl)
                Ratio     = '{0:0.00}x curl time' -f ($zai / $curl)
                Target    = '<= 2x curl time'
                Met       = ($zai / $curl) -le 2
            })

        # Row 1b: importing the module in a fresh session, against starting that session alone.
        $rows.AddRange([object[]](Measure-ImportBench))

        # Row 2: 500 tasks finishing evenly over 20 s, first interval 1 s, cap 5 s.
        $rows.AddRange([object[]](Measure-WaitBench -Base $base -Headers $headers))

        # Rows 3 and 4: one 1 GiB file, and 200 files of 1 MiB.
        $rows.AddRange([object[]](Measure-SaveBench -Base $base))
    }
    finally {
        Stop-Emulator $emulator
    }
    $rows | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
}

function New-WaitBenchTasks {
    param([string] $Base, [string] $Prefix, [int] $Count, [double] $SpreadSec)
    $ids = 1..$Count | ForEach-Object { '{0}-{1:d3}' -f $Prefix, $_ }
    $completions = 1..$Count | ForEach-Object { $SpreadSec * $_ / $Count }
    New-EmulatorTasks $Base @(for ($i = 0; $i -lt $Count; $i++) { @{ id = $ids[$i]; processingMs = [int]($completions[$i] * 1000) } })
    [pscustomobject]@{ Ids = $ids; Completions = $completions }
}

function Get-EmulatorRequestTotal {
    param([string] $Base, [string] $Prefix)
    $root = $Base -replace '/api$', ''
    $tasks = Invoke-RestMethod -Uri "$root/_emulator/tasks" | ForEach-Object { $_ } | Where-Object { $_.id.StartsWith("$Prefix-") }
    ($tasks | Measure-Object -Property requestCount -Sum).Sum
}

function Get-ScheduledPollCount {
    # Polls the nominal schedule needs to see a task that finishes at $CompletionSec: one at 0, then
    # intervals of First, First*1.5, ... capped at Max, until one lands at or after the completion.
    param([double] $CompletionSec, [double] $First, [double] $Max)
    $t = 0.0; $polls = 1; $interval = $First
    while ($t -lt $CompletionSec) { $t += $interval; $polls++; $interval = [math]::Min($interval * 1.5, $Max) }
    $polls
}

function Measure-WaitBench {
    param([string] $Base, [hashtable] $Headers)
    $count = 500; $spread = 20.0; $first = 1.0; $max = 5.0
    $rows = @()

    $run = New-WaitBenchTasks -Base $Base -Prefix 'bench-wait-zai' -Count $count -SpreadSec $spread
    $needed = ($run.Completions | ForEach-Object { Get-ScheduledPollCount $_ $first $max } | Measure-Object -Sum).Sum
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $done = @($run.Ids | Wait-ZAiAsyncResult -PollIntervalSec $first -MaxPollIntervalSec $max -ErrorAction Stop).Count
    $zaiSec = $watch.Elapsed.TotalSeconds
    $zaiRequests = Get-EmulatorRequestTotal $Base 'bench-wait-zai'
    if ($done -ne $count) { throw "Wait-ZAiAsyncResult returned $done of $count results." }

    $run = New-WaitBenchTasks -Base $Base -Prefix 'bench-wait-loop' -Count $count -SpreadSec $spread
    $watch.Restart()
    foreach ($id in $run.Ids) {
        do {
            $r = Invoke-RestMethod -Uri "$Base/paas/v4/async-result/$id" -Headers $Headers
            if ($r.task_status -notin 'SUCCESS', 'FAIL') { Start-Sleep -Seconds $first }
        } until ($r.task_status -in 'SUCCESS', 'FAIL')
    }
    $loopSec = $watch.Elapsed.TotalSeconds
    $loopRequests = Get-EmulatorRequestTotal $Base 'bench-wait-loop'

    $run = New-WaitBenchTasks -Base $Base -Prefix 'bench-wait-par' -Count $count -SpreadSec $spread
    $watch.Restart()
    $run.Ids | ForEach-Object -ThrottleLimit 16 -Parallel {
        do {
            $r = Invoke-RestMethod -Uri "$using:Base/paas/v4/async-result/$_" -Headers $using:Headers
            if ($r.task_status -notin 'SUCCESS', 'FAIL') { Start-Sleep -Seconds $using:first }
        } until ($r.task_status -in 'SUCCESS', 'FAIL')
    }
    $parSec = $watch.Elapsed.TotalSeconds
    $parRequests = Get-EmulatorRequestTotal $Base 'bench-wait-par'

    $bound = $spread + $max + 0.5
    $rows += [pscustomobject]@{
        Benchmark = "Wait 500 tasks over ${spread} s: wall"; 'ZAi ms' = [math]::Round($zaiSec * 1000)
        Peer = "bound: last completion + cap + 0.5 s"; 'Peer ms' = [math]::Round($bound * 1000)
        Ratio = '{0:0.00}x bound' -f ($zaiSec / $bound); Target = '<= 1x bound'; Met = $zaiSec -le $bound
    }
    $rows += [pscustomobject]@{
        Benchmark = 'Wait 500 tasks: requests'; 'ZAi ms' = "$zaiRequests req"
        Peer = 'interval schedule needs'; 'Peer ms' = "$needed req"
        Ratio = '{0:0.00}x schedule' -f ($zaiRequests / $needed); Target = '<= 1.2x schedule'; Met = ($zaiRequests / $needed) -le 1.2
    }
    $rows += [pscustomobject]@{
        Benchmark = 'Wait 500 tasks: wall'; 'ZAi ms' = [math]::Round($zaiSec * 1000)
        Peer = "foreach IRM + Start-Sleep loop ($loopRequests req)"; 'Peer ms' = [math]::Round($loopSec * 1000)
        Ratio = '{0:0.00}x faster' -f ($loopSec / $zaiSec); Target = 'report'; Met = $zaiSec -le $loopSec
    }
    $rows += [pscustomobject]@{
        Benchmark = 'Wait 500 tasks: wall'; 'ZAi ms' = [math]::Round($zaiSec * 1000)
        Peer = "same loop, ForEach-Object -Parallel 16 ($parRequests req)"; 'Peer ms' = [math]::Round($parSec * 1000)
        Ratio = '{0:0.00}x faster' -f ($parSec / $zaiSec); Target = 'report'; Met = $zaiSec -le $parSec
    }
    $rows
}

function Measure-ImportBench {
    $command = @(Get-PwshCommand)
    $exe = $command[0]; $prefix = @($command | Select-Object -Skip 1)
    $manifest = Join-Path $ModuleDir 'ZAi.psd1'
    $times = Measure-Rounds -Rounds 5 -Before {} -Contenders ([ordered]@{
            Import = { & $exe @prefix -NoProfile -NonInteractive -Command "Import-Module '$manifest'" }
            Bare   = { & $exe @prefix -NoProfile -NonInteractive -Command 'exit' }
        })
    $cost = $times.Import - $times.Bare
    [pscustomobject]@{
        Benchmark = 'Import-Module ZAi, fresh session'; 'ZAi ms' = [math]::Round($times.Import); Peer = 'pwsh -NoProfile alone'; 'Peer ms' = [math]::Round($times.Bare)
        Ratio = '+{0:0} ms to import' -f $cost; Target = '< 1000 ms to import'; Met = $cost -lt 1000
    }
}

function Measure-Rounds {
    <# Times each contender once per round and returns the median milliseconds of each. The order rotates
       from round to round, so no contender always runs first (cold) or right after another's I/O. #>
    param([int] $Rounds, [scriptblock] $Before, [System.Collections.Specialized.OrderedDictionary] $Contenders)
    $samples = @{}
    $names = @($Contenders.Keys)
    foreach ($name in $names) { $samples[$name] = [Collections.Generic.List[double]]::new() }
    foreach ($round in 1..$Rounds) {
        $shift = $round % $names.Count
        foreach ($name in @($names[$shift..($names.Count - 1)]) + @(if ($shift -gt 0) { $names[0..($shift - 1)] })) {
            & $Before
            $samples[$name].Add((Measure-Command $Contenders[$name]).TotalMilliseconds)
        }
    }
    $medians = @{}
    foreach ($name in $Contenders.Keys) { $medians[$name] = Get-Median $samples[$name].ToArray() }
    $medians
}

function Measure-SaveBench {
    param([string] $Base)
    $root = $Base -replace '/api$', ''
    $dir = Join-Path $OutDir 'bench-media'
    if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    New-Item -ItemType Directory $dir | Out-Null
    $rows = @()

    # One 1 GiB file: throughput against curl -o and Invoke-WebRequest -OutFile, medians of 5 runs each.
    $size = 1GB
    New-EmulatorTasks $Base @(@{ id = 'bench-big'; kind = 'video'; mediaSize = $size })
    $big = Get-ZAiAsyncResult 'bench-big'
    $url = $big.VideoResult[0].Url
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
    $xml = Join-Path $OutDir 'bench-big.xml'
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
        Invoke-RestMethod -Method Post -Uri "$root/_emulator/config" -ContentType 'application/json' -Body (@{ latencyMs = $latency } | ConvertTo-Json) | Out-Null
        $prefix200 = "bench-200-$latency"
        New-EmulatorTasks $Base @(1..200 | ForEach-Object { @{ id = "$prefix200-$_"; kind = 'image'; mediaSize = 1MB } })
        $results = Get-ZAiAsyncResult (1..200 | ForEach-Object { "$prefix200-$_" })
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
    Invoke-RestMethod -Method Post -Uri "$root/_emulator/config" -ContentType 'application/json' -Body (@{ latencyMs = 0 } | ConvertTo-Json) | Out-Null
    Remove-Item $dir -Recurse -Force
    $rows
}

function Invoke-Clean {
    Write-Host '== Clean' -ForegroundColor Cyan
    foreach ($path in @($OutDir) + (Get-ChildItem (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        if ($path -and (Test-Path $path)) { Remove-Item $path -Recurse -Force }
    }
}

$script:ExitCode = 0
$built = $false
foreach ($name in $Task) {
    switch ($name) {
        'Clean' { Invoke-Clean; $built = $false }
        'Build' { Invoke-Build; $built = $true }
        'Test' { if (-not $built) { Invoke-Build; $built = $true }; Invoke-Test }
        'Demo' { if (-not $built) { Invoke-Build; $built = $true }; Invoke-Demo }
        'Bench' { if (-not $built) { Invoke-Build; $built = $true }; Invoke-Bench }
        'Package' { if (-not $built) { Invoke-Build; $built = $true }; Invoke-Package | Out-Null }
    }
}
exit $script:ExitCode
