# Process plumbing shared by build.ps1, the Pester tests (tests/ZAi.TestHelpers.psm1, tests/Package.Tests.ps1),
# tools/bench and examples/Demo.ps1: dotnet and child pwsh processes with time limits, the isolated HOME,
# the package and its release notes, the loopback emulator (also in the foreground), and the test runners
# (xUnit, the smoke run, Pester) whose counts build.ps1 Test adds up.

Set-StrictMode -Version 3.0

$script:Root = Split-Path $PSScriptRoot -Parent
$script:EmulatorProject = Join-Path $script:Root 'tests/ZAi.Emulator/ZAi.Emulator.csproj'
$script:EmulatorApiKey = 'sk-zai-emulator-7f3a9c1e5b2d4a6f'
$script:PesterVersion = '5.7.1'

function Get-EmulatorApiKey { $script:EmulatorApiKey }

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

function Invoke-TimedProcess {
    <# Runs a program with its output on this console and returns its exit code. -Environment sets (or, for a
       $null value, removes) variables for that process only. Past -TimeoutSec its whole process tree is killed,
       '<Description> did not finish within N s; killed' is printed and the exit code is -1. #>
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @(), [hashtable] $Environment = @{},
        [int] $TimeoutSec = 0, [string] $Description = $FilePath)
    $info = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $info.ArgumentList.Add($argument) }
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) } else { $info.Environment[$name] = [string]$Environment[$name] }
    }
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    try {
        if (-not $process.WaitForExit($(if ($TimeoutSec -gt 0) { $TimeoutSec * 1000 } else { -1 }))) {
            $process.Kill($true)
            $null = $process.WaitForExit(10000)
            Write-Host "$Description did not finish within $TimeoutSec s; killed" -ForegroundColor Red
            return -1
        }
        $process.WaitForExit()
        $process.ExitCode
    }
    finally {
        if (-not $process.HasExited) { $process.Kill($true) }   # Ctrl+C on this script
        $process.Dispose()
    }
}

function Invoke-ChildPwsh {
    <# Runs a script in a fresh pwsh -NoProfile -NonInteractive and returns its exit code; see Invoke-TimedProcess
       for -Environment and -TimeoutSec. -CaptureOutput returns what it printed instead, error stream included. #>
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSec = 0,
        [string] $Description = 'pwsh', [switch] $CaptureOutput)
    $command = @(Get-PwshCommand)
    $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Script)
    if (-not $CaptureOutput) {
        return Invoke-TimedProcess -FilePath $command[0] -ArgumentList $arguments -Environment $Environment -TimeoutSec $TimeoutSec -Description $Description
    }
    # The call operator keeps the order of output and errors as one text; the variables are set around it.
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try { $exe = $command[0]; (& $exe @arguments 2>&1 | Out-String) }
    finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
}

function Get-IsolatedHome {
    <# Environment variables that give a child PowerShell its own empty HOME: its repositories and installed modules. #>
    param([Parameter(Mandatory)][string] $HomeDir)
    $isolated = @{ HOME = $HomeDir; XDG_DATA_HOME = (Join-Path $HomeDir '.local/share'); XDG_CONFIG_HOME = (Join-Path $HomeDir '.config'); XDG_CACHE_HOME = (Join-Path $HomeDir '.cache'); LOCALAPPDATA = (Join-Path $HomeDir 'AppData/Local'); USERPROFILE = $HomeDir }
    # .NET reports a special folder that does not exist yet as '', and tools then write to relative paths.
    foreach ($folder in $isolated.Values) { New-Item -ItemType Directory -Force $folder | Out-Null }
    $isolated
}

function New-ZAiPackage {
    <# Publishes the built module folder into -OutputDir (emptied first) as ZAi.<version>.nupkg, the package the
       PowerShell Gallery would receive, from a pwsh with an isolated HOME. Returns the package's path. #>
    param([Parameter(Mandatory)][string] $ModuleDir, [Parameter(Mandatory)][string] $OutputDir)
    if (Test-Path $OutputDir) { Remove-Item $OutputDir -Recurse -Force }
    New-Item -ItemType Directory $OutputDir | Out-Null
    $homeDir = Join-Path ([IO.Path]::GetTempPath()) "zai-package-home-$([guid]::NewGuid().ToString('n'))"
    $script = "`$ErrorActionPreference = 'Stop'; Register-PSResourceRepository -Name ZAiPackage -Uri '$OutputDir' -Trusted; Publish-PSResource -Path '$ModuleDir' -Repository ZAiPackage"
    try { $exit = Invoke-ChildPwsh -Script $script -Environment (Get-IsolatedHome $homeDir) -TimeoutSec 300 -Description 'Publish-PSResource' }
    finally { Remove-Item $homeDir -Recurse -Force -ErrorAction SilentlyContinue }
    if ($exit -ne 0) { throw "Publish-PSResource failed with exit code $exit." }
    (Get-ChildItem $OutputDir -Filter 'ZAi.*.nupkg' | Select-Object -First 1).FullName
}

function Build-Emulator {
    param([string] $Configuration = 'Release')
    Invoke-Dotnet build $script:EmulatorProject -c $Configuration --nologo -v quiet
}

function Start-Emulator {
    <# Starts the loopback Z.AI emulator on -Port (default: a free port); returns its Process and Url (the base URI, .../api).
       -Certificate (a PKCS#12 file without a password) makes it serve https. It exits by itself when this process does. #>
    param([string] $Configuration = 'Release', [int] $LatencyMs = 0, [int] $Port = 0, [string] $Certificate)
    $dll = Join-Path $script:Root "tests/ZAi.Emulator/bin/$Configuration/net10.0/ZAi.Emulator.dll"
    if (-not (Test-Path $dll)) { Build-Emulator $Configuration }
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    $https = if ($Certificate) { @('--https-certificate', $Certificate) } else { @() }
    foreach ($a in @($dll, '--port', "$Port", '--api-key', $script:EmulatorApiKey, '--latency-ms', "$LatencyMs", '--parent-pid', "$PID") + $https) {
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

function Invoke-EmulatorConsole {
    <# The emulator in the foreground (Ctrl+C stops it), for trying the module without an account or for one's own
       tests: prints its base URI, its API key and the lines that connect the module in -ModuleDir to it, then what it logs. #>
    param([Parameter(Mandatory)][string] $ModuleDir, [string] $Configuration = 'Release', [int] $Port = 0)
    Build-Emulator $Configuration
    $emulator = Start-Emulator -Configuration $Configuration -Port $Port
    try {
        $key = Get-EmulatorApiKey
        $root = $emulator.Url -replace '/api$', ''
        $manifest = Join-Path $ModuleDir 'ZAi.psd1'
        Write-Host "ZAi emulator listening on 127.0.0.1 (Ctrl+C stops it)." -ForegroundColor Cyan
        Write-Host "  Base URI : $($emulator.Url)"
        Write-Host "  API key  : $key"
        Write-Host "  Settings : $root/_emulator/config (account limit, task time, faults, latency; see README)"
        Write-Host "  Requests : $root/_emulator/requests"
        Write-Host 'In another PowerShell:'
        if (-not (Test-Path $manifest)) { Write-Host "  # build the module first: ./build.ps1 Build" }
        Write-Host "  Import-Module '$manifest'"
        Write-Host "  Connect-ZAi -ApiKey (ConvertTo-SecureString '$key' -AsPlainText -Force) -BaseUri '$($emulator.Url)'"
        # Forward what the emulator logs; waiting in short steps lets Ctrl+C end the task.
        $line = $emulator.Process.StandardOutput.ReadLineAsync()
        while (-not $emulator.Process.HasExited) {
            if ($line.Wait(500)) {
                if ($null -eq $line.Result) { break }
                Write-Host $line.Result
                $line = $emulator.Process.StandardOutput.ReadLineAsync()
            }
        }
    }
    finally {
        Stop-Emulator $emulator
    }
}

function New-EmulatorTasks {
    <# Creates tasks on the emulator from hashtables (see tests/ZAi.Emulator/TaskSpec.cs). #>
    param([string] $Url, [object[]] $Tasks)
    Invoke-RestMethod -Method Post -Uri "$($Url -replace '/api$', '')/_emulator/tasks" -ContentType 'application/json' -Body (ConvertTo-Json -InputObject $Tasks -Depth 10) | Out-Null
}

function Set-EmulatorConfig {
    <# Changes the emulator's settings, such as @{ latencyMs = 50 } or @{ submission = @{ processingMs = 2000 } }. #>
    param([string] $Url, [hashtable] $Config)
    Invoke-RestMethod -Method Post -Uri "$($Url -replace '/api$', '')/_emulator/config" -ContentType 'application/json' -Body (ConvertTo-Json -InputObject $Config -Depth 10) | Out-Null
}

function Get-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
}

function Invoke-XunitProject {
    <# dotnet test of one project with a trx log in -ResultsDir; returns its Name, Passed and Failed. A test that
       hangs is killed after -HangTimeoutSec, the whole run after -TimeoutSec; either, or any failure without a
       failed test in the trx (a build error), counts as one failure. #>
    param([Parameter(Mandatory)][string] $Project, [Parameter(Mandatory)][string] $ResultsDir, [string] $Configuration = 'Release',
        [hashtable] $Environment = @{}, [int] $TimeoutSec = 300, [int] $HangTimeoutSec = 120, [switch] $Detailed)
    $name = [IO.Path]::GetFileNameWithoutExtension($Project)
    # -Detailed prints each test and what it wrote (the load-closure check's report).
    $console = if ($Detailed) { @('--logger', 'console;verbosity=detailed') } else { @() }
    $trx = Join-Path $ResultsDir "$name.trx"
    $exit = Invoke-TimedProcess -FilePath 'dotnet' -Environment $Environment -TimeoutSec $TimeoutSec -Description "dotnet test $name" -ArgumentList (@(
        'test', $Project, '-c', $Configuration, '--nologo', '--logger', "trx;LogFileName=$name.trx", '--results-directory', $ResultsDir,
        '--blame-hang-timeout', "${HangTimeoutSec}s", '--blame-hang-dump-type', 'none') + $console)
    $counts = if (Test-Path $trx) { Get-TrxCounts $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    [pscustomobject]@{ Name = $name; Passed = $counts.Passed; Failed = $counts.Failed }
}

function Invoke-SmokeTests {
    <# The module's JSON parsing, API client, downloader and resolver (tests/ZAi.Smoke) against the emulator at -Url on
       .NET 8, PowerShell 7.4's runtime, and on Mono, a .NET Framework-like runtime. Mono binds assemblies
       loosely: this shows the code runs there, not that .NET Framework binds the module's dlls (the load-closure
       check covers that). Returns its Name, Passed and Failed. #>
    param([Parameter(Mandatory)][string] $Url, [Parameter(Mandatory)][string] $ModuleDir, [string] $Configuration = 'Release')
    $project = Join-Path $script:Root 'tests/ZAi.Smoke'
    Invoke-Dotnet build $project -c $Configuration --nologo -v quiet | Out-Host
    $net472 = Join-Path $project "bin/$Configuration/net472"
    # The dlls exactly as the module folder ships them (netstandard2.0 builds), not the net462 ones NuGet picks for an exe.
    Copy-Item (Join-Path $ModuleDir '*.dll') $net472 -Force
    $counts = [pscustomobject]@{ Name = 'Smoke'; Passed = 0; Failed = 0 }
    $runs = [ordered]@{ '.NET 8 (PowerShell 7.4''s runtime)' = @((Get-ChildItem (Join-Path $project "bin/$Configuration/net8.0/*/ZAi.Smoke")).FullName) }
    if (Get-Command mono -ErrorAction Ignore) { $runs['Mono (binds loosely: not a test of .NET Framework binding)'] = @('mono', (Join-Path $net472 'ZAi.Smoke.exe')) }
    elseif ($env:CI -eq 'true') { Write-Host 'Smoke on Mono: mono is not installed, though .ci/run installs it.'; $counts.Failed++ }
    else { Write-Host 'Smoke on Mono: not run, mono is not installed (apt-get install mono-devel).' -ForegroundColor Yellow }
    foreach ($name in $runs.Keys) {
        Write-Host "== Test: smoke on $name" -ForegroundColor Cyan
        $command = $runs[$name]
        $output = & $command[0] @($command | Select-Object -Skip 1) $Url (Get-EmulatorApiKey)
        $exit = $LASTEXITCODE
        $output | Out-Host
        $line = $output | Select-String '(\d+) passed, (\d+) failed$' | Select-Object -Last 1
        if ($line) { $counts.Passed += [int]$line.Matches[0].Groups[1].Value; $counts.Failed += [int]$line.Matches[0].Groups[2].Value }
        if ($exit -ne 0 -and ($null -eq $line -or $line.Matches[0].Groups[2].Value -eq '0')) { $counts.Failed++ }
    }
    $counts
}

function Get-PesterModulePath {
    <# Pester from the NuGet cache, where the xUnit project's PackageDownload item restores it. #>
    param([Parameter(Mandatory)][string] $RestoreProject)
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { ((& dotnet nuget locals global-packages --list | Select-Object -First 1) -replace '^global-packages:\s*', '').Trim() }
    $pester = Join-Path $packages "pester/$script:PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pester)) { Invoke-Dotnet restore $RestoreProject }
    $pester
}

function Invoke-PesterTests {
    <# Runs the Pester files under -Path in a child pwsh with -Environment; returns its Name, Passed and Failed.
       Past -TimeoutSec the child and everything it started is killed and the run counts as one failure. #>
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][string] $PesterModule, [Parameter(Mandatory)][string] $ResultsDir,
        [hashtable] $Environment = @{}, [int] $TimeoutSec = 600)
    $summary = Join-Path $ResultsDir 'pester.json'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$PesterModule' -RequiredVersion $script:PesterVersion
`$config = New-PesterConfiguration
`$config.Run.Path = '$Path'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$result = Invoke-Pester -Configuration `$config
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } | ConvertTo-Json | Set-Content '$summary'
"@
    $exit = Invoke-ChildPwsh -Script $script -Environment $Environment -TimeoutSec $TimeoutSec -Description 'Pester'
    $counts = if (Test-Path $summary) { Get-Content -Raw $summary | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    [pscustomobject]@{ Name = 'Pester'; Passed = [int]$counts.Passed; Failed = [int]$counts.Failed }
}

function Get-ZAiReleaseNotes {
    <# The manifest's ReleaseNotes for -Version: the summary paragraph under CHANGELOG.md's "## [<version>]" heading
       (before its first "###") and a link to the whole CHANGELOG. Throws when the section or its summary is missing. #>
    param([Parameter(Mandatory)][string] $Changelog, [Parameter(Mandatory)][string] $Version, [Parameter(Mandatory)][string] $ProjectUri)
    $section = [regex]::Match($Changelog, "(?ms)^## \[$([regex]::Escape($Version))\][^\r\n]*\r?\n(.*?)(?=^## |\z)")
    if (-not $section.Success) { throw "CHANGELOG.md has no '## [$Version] - <date>' section for the module's version $Version." }
    $summary = [regex]::Match($section.Groups[1].Value, '(?s)^(.*?)(?=^### |\z)', 'Multiline').Groups[1].Value.Trim()
    if (-not $summary) { throw "CHANGELOG.md's section for $Version has no summary paragraph before its first '###' heading." }
    "$Version`: $($summary -replace '\s*\r?\n\s*', ' ')`n`nAll changes: $($ProjectUri.TrimEnd('/'))/blob/main/CHANGELOG.md"
}

function Set-ZAiReleaseNotes {
    <# Puts this version's summary from CHANGELOG.md (the paragraph under its "## [<version>]" heading) and a link
       to the whole CHANGELOG into the built manifest's PSData.ReleaseNotes: the Gallery shows a summary, not every
       line since the first release. A version without a section or a summary stops the build. #>
    param([Parameter(Mandatory)][string] $Manifest, [Parameter(Mandatory)][string] $Changelog)
    $data = Import-PowerShellDataFile $Manifest
    $notes = Get-ZAiReleaseNotes -Changelog (Get-Content -Raw $Changelog) -Version $data.ModuleVersion -ProjectUri $data.PrivateData.PSData.ProjectUri
    $text = (Get-Content -Raw $Manifest).Replace("ReleaseNotes = 'See CHANGELOG.md.'", "ReleaseNotes = '$($notes.Replace("'", "''"))'")
    Set-Content -Path $Manifest -Value $text -NoNewline
}

Export-ModuleMember -Function *
