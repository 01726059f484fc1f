<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages the ZAi module.
.DESCRIPTION
    Tasks run in the order given and can be chained: ./build.ps1 Clean Build Test
      Build  - out/ZAi: manifest, ZAi.PowerShell.dll and its netstandard2.0 dependencies, format file, help.
      Test   - the xUnit projects (the core, the help builder, and the load-closure check of out/ZAi: its dlls'
               references resolved as Windows PowerShell 5.1 and PowerShell 7.4 would), a smoke run of the core
               on .NET 8 and Mono (when installed), then the Pester tests of the built module against the local
               emulator, each with a time limit; ends with 'N passed, N failed' and a non-zero exit on any failure.
      Demo   - builds, starts the emulator and runs the pipeline a user would type (examples/Demo.ps1).
      Bench  - timings against peers measured in the same run, printed as ratios (tools/bench/Invoke-Bench.ps1).
      Package- out/package/ZAi.<version>.nupkg, the package the PowerShell Gallery would receive.
      Emulator - builds and runs the loopback Z.AI emulator in the foreground (Ctrl+C stops it) and prints its base
               URI, its API key and a Connect-ZAi line; -EmulatorPort N picks the port (default: a free one).
      Clean  - removes out/ and the projects' bin/obj folders.
    Process plumbing (dotnet, child pwsh, emulator, package, test runners) is in tools/ZAi.Build.psm1.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0, ValueFromRemainingArguments = $true)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean', 'Emulator')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [ValidateRange(0, 65535)]
    [int] $EmulatorPort = 0
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'tools/ZAi.Build.psm1') -Force

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'ZAi'

# The xUnit projects build.ps1 Test runs, each with the environment its tests read (and Detailed to print each
# test's output); their counts are added up.
$XunitProjects = [ordered]@{
    'tests/ZAi.PowerShell.Tests/ZAi.PowerShell.Tests.csproj'   = @{ Environment = @{} }
    'tests/ZAi.HelpBuilder.Tests/ZAi.HelpBuilder.Tests.csproj' = @{ Environment = @{} }
    'tests/ZAi.LoadClosure.Tests/ZAi.LoadClosure.Tests.csproj' = @{ Environment = @{ ZAI_MODULE_DIR = $ModuleDir }; Detailed = $true }
}
# Time limits, so a hang fails with a message instead of running to CI's limit. The whole Test task stays
# within $TestBudgetSec: each runner gets its own limit or what is left of the budget, whichever is less.
$XunitTimeoutSec = 300
$XunitHangTimeoutSec = 120
$PesterTimeoutSec = 600
$TestBudgetSec = 840

function Invoke-Build {
    Write-Host '== Build' -ForegroundColor Cyan
    $publish = Join-Path $OutDir 'publish'
    Invoke-Dotnet publish (Join-Path $Root 'src/ZAi.PowerShell/ZAi.PowerShell.csproj') -c $Configuration -o $publish --nologo -v quiet
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleDir | Out-Null
    # Only what PowerShell loads: the module dll and its runtime dependencies (no pdb, xml docs or deps.json).
    Get-ChildItem $publish -Filter *.dll | Copy-Item -Destination $ModuleDir
    Copy-Item (Join-Path $Root 'ZAi.psd1') $ModuleDir
    Set-ReleaseNotes (Join-Path $ModuleDir 'ZAi.psd1')
    Copy-Item (Join-Path $Root 'src/ZAi.PowerShell/ZAi.format.ps1xml') $ModuleDir
    Copy-Item (Join-Path $Root 'src/ZAi.PowerShell/ZAi.types.ps1xml') $ModuleDir
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleDir
    Remove-Item $publish -Recurse -Force
    # MAML help and about_ZAi.help.txt from docs/en-US, by the build's own converter (PlatyPS cannot be
    # restored from NuGet); it stops the build on any page that breaks the PlatyPS schema.
    Invoke-Dotnet run --project (Join-Path $Root 'src/ZAi.HelpBuilder') -c $Configuration -v quiet -- (Join-Path $Root 'docs/en-US') (Join-Path $ModuleDir 'en-US')
    Write-Host "Module: $ModuleDir"
}

function Set-ReleaseNotes {
    <# Puts this version's summary from CHANGELOG.md (the paragraph under its "## [<version>]" heading) and a link
       to the whole CHANGELOG into the built manifest's PSData.ReleaseNotes: the Gallery shows a summary, not every
       line since the first release. A version without a section or a summary stops the build. #>
    param([string] $Manifest)
    $data = Import-PowerShellDataFile $Manifest
    $notes = Get-ZAiReleaseNotes -Changelog (Get-Content -Raw (Join-Path $Root 'CHANGELOG.md')) -Version $data.ModuleVersion -ProjectUri $data.PrivateData.PSData.ProjectUri
    $text = (Get-Content -Raw $Manifest).Replace("ReleaseNotes = 'See CHANGELOG.md.'", "ReleaseNotes = '$($notes.Replace("'", "''"))'")
    Set-Content -Path $Manifest -Value $text -NoNewline
}

function Invoke-Smoke {
    <# The module's JSON parsing, API client, downloader and resolver (tests/ZAi.Smoke) against the emulator on
       .NET 8, PowerShell 7.4's runtime, and on Mono, a .NET Framework-like runtime. Mono binds assemblies
       loosely: this shows the code runs there, not that .NET Framework binds the module's dlls (the load-closure
       check covers that). Returns its Name, Passed and Failed. #>
    param([string] $Url)
    $project = Join-Path $Root 'tests/ZAi.Smoke'
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

function Invoke-Test {
    $budget = [Diagnostics.Stopwatch]::StartNew()
    $limit = { param([int] $Seconds) [math]::Max(1, [math]::Min($Seconds, $TestBudgetSec - [int]$budget.Elapsed.TotalSeconds)) }
    $results = Join-Path $OutDir 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null
    $runs = [Collections.Generic.List[object]]::new()
    foreach ($project in $XunitProjects.Keys) {
        Write-Host "== Test: xUnit $project" -ForegroundColor Cyan
        $runs.Add((Invoke-XunitProject -Project (Join-Path $Root $project) -ResultsDir $results -Configuration $Configuration -Environment $XunitProjects[$project].Environment -Detailed:([bool]$XunitProjects[$project]['Detailed']) -TimeoutSec (& $limit $XunitTimeoutSec) -HangTimeoutSec $XunitHangTimeoutSec))
    }

    Write-Host '== Test: Pester' -ForegroundColor Cyan
    $pester = Get-PesterModulePath -RestoreProject (Join-Path $Root @($XunitProjects.Keys)[0])
    Build-Emulator $Configuration
    $emulator = Start-Emulator -Configuration $Configuration
    try {
        $runs.Add((Invoke-Smoke $emulator.Url))
        $runs.Add((Invoke-PesterTests -Path (Join-Path $Root 'tests') -PesterModule $pester -ResultsDir $results -TimeoutSec (& $limit $PesterTimeoutSec) -Environment @{
                    ZAI_EMULATOR_URL     = $emulator.Url
                    ZAI_EMULATOR_API_KEY = Get-EmulatorApiKey
                    ZAI_TEST_MODULE      = Join-Path $ModuleDir 'ZAi.psd1'
                    ZAI_API_KEY          = $null
                    ZAI_BASE_URL         = $null
                }))
    }
    finally {
        Stop-Emulator $emulator
    }

    $passed = ($runs | Measure-Object -Property Passed -Sum).Sum
    $failed = ($runs | Measure-Object -Property Failed -Sum).Sum
    Write-Host (($runs | ForEach-Object { "$($_.Name): $($_.Passed) passed, $($_.Failed) failed." }) -join ' ')
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { $script:ExitCode = 1 }
}

function Invoke-Package {
    Write-Host '== Package' -ForegroundColor Cyan
    $package = New-ZAiPackage -ModuleDir $ModuleDir -OutputDir (Join-Path $OutDir 'package')
    Write-Host "Package: $package"
}

function Invoke-Emulator {
    <# The emulator in the foreground, for trying the module without an account or for one's own tests. #>
    Build-Emulator $Configuration
    $emulator = Start-Emulator -Configuration $Configuration -Port $EmulatorPort
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

function Invoke-Clean {
    Write-Host '== Clean' -ForegroundColor Cyan
    foreach ($path in @($OutDir) + (Get-ChildItem (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        if ($path -and (Test-Path $path)) { Remove-Item $path -Recurse -Force }
    }
}

$script:ExitCode = 0
$built = $false
foreach ($name in $Task) {
    if ($name -notin 'Clean', 'Build', 'Emulator' -and -not $built) { Invoke-Build; $built = $true }
    switch ($name) {
        'Clean' { Invoke-Clean; $built = $false }
        'Build' { Invoke-Build; $built = $true }
        'Test' { Invoke-Test }
        'Demo' { & (Join-Path $Root 'examples/Demo.ps1') -ModuleDir $ModuleDir -Configuration $Configuration -MediaDir (Join-Path $OutDir 'demo-media') }
        'Bench' { & (Join-Path $Root 'tools/bench/Invoke-Bench.ps1') -ModuleDir $ModuleDir -Configuration $Configuration -WorkDir $OutDir }
        'Package' { Invoke-Package }
        'Emulator' { Invoke-Emulator }
    }
}
exit $script:ExitCode
