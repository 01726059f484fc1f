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
    Process plumbing (dotnet, child pwsh, emulator, smoke run, package, test runners, release notes) is in
    tools/ZAi.Build.psm1.
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
    Set-ZAiReleaseNotes -Manifest (Join-Path $ModuleDir 'ZAi.psd1') -Changelog (Join-Path $Root 'CHANGELOG.md')
    Copy-Item (Join-Path $Root 'src/ZAi.PowerShell/ZAi.format.ps1xml') $ModuleDir
    Copy-Item (Join-Path $Root 'src/ZAi.PowerShell/ZAi.types.ps1xml') $ModuleDir
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleDir
    Remove-Item $publish -Recurse -Force
    # MAML help and about_ZAi.help.txt from docs/en-US, by the build's own converter (PlatyPS cannot be
    # restored from NuGet); it stops the build on any page that breaks the PlatyPS schema.
    Invoke-Dotnet run --project (Join-Path $Root 'src/ZAi.HelpBuilder') -c $Configuration -v quiet -- (Join-Path $Root 'docs/en-US') (Join-Path $ModuleDir 'en-US')
    Write-Host "Module: $ModuleDir"
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
        $runs.Add((Invoke-SmokeTests -Url $emulator.Url -ModuleDir $ModuleDir -Configuration $Configuration))
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
        'Emulator' { Invoke-EmulatorConsole -ModuleDir $ModuleDir -Configuration $Configuration -Port $EmulatorPort }
    }
}
exit $script:ExitCode
