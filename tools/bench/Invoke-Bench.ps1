<#
.SYNOPSIS
    Times the built module against peers measured in the same run, and prints one row per benchmark as a ratio.
.DESCRIPTION
    Starts the loopback emulator and runs, in this order: 1000 x Get-ZAiAsyncResult (Measure-GetBench.ps1),
    Import-Module in a fresh session (Measure-ImportBench.ps1), waiting for 500 tasks (Measure-WaitBench.ps1),
    saving one 1 GiB file and 200 files of 1 MiB (Measure-SaveBench.ps1), and a batch of 20 prompts at an
    account limit of 2 tasks in flight, plain and killed then re-run with its journal (Measure-BatchBench.ps1),
    and downloads against curl on a throttled host, with 50 ms to first byte and on bare loopback (Measure-DownloadBench.ps1).
    Then a finished 2,000-prompt journal run again: no request, under 2 s (Measure-LedgerBench.ps1; filling it takes minutes),
    and the scheduler's view: a 20-line runbook with a refusal, a blank line, an expired link and a failed prompt under
    Stop, re-run until nothing new happens (Measure-SchedulerBench.ps1). Last, memory and pace at scale: the runbook in a
    child session on an account that allows 20 tasks in flight, its peak working set over a fresh session's for runs of
    200 and 2,000 prompts and for re-runs of finished journals, and 1,000 prompts of 0.5 s tasks against the ideal
    pace (Measure-MemoryBench.ps1).
    Takes several minutes; -Benchmark picks some of them.
    Run it with ./build.ps1 Bench, which builds the module first.
.EXAMPLE
    ./tools/bench/Invoke-Bench.ps1 -ModuleDir ./out/ZAi -WorkDir ./out
#>
[CmdletBinding()]
param(
    # The built module folder (out/ZAi after ./build.ps1 Build).
    [string] $ModuleDir = (Join-Path $PSScriptRoot '../../out/ZAi'),
    # The build configuration of the emulator to start.
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Where the benchmarks put their scratch files (a 1 GiB download among them).
    [string] $WorkDir = (Join-Path $PSScriptRoot '../../out'),
    # Which benchmarks to run; all by default.
    [ValidateSet('Get', 'Import', 'Wait', 'Save', 'Batch', 'Download', 'Ledger', 'Scheduler', 'Memory')]
    [string[]] $Benchmark = @('Get', 'Import', 'Wait', 'Save', 'Batch', 'Download', 'Ledger', 'Scheduler', 'Memory')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../ZAi.Build.psm1') -Force
foreach ($file in 'BenchTiming', 'Measure-GetBench', 'Measure-ImportBench', 'Measure-WaitBench', 'Measure-SaveBench', 'Measure-BatchBench', 'Measure-DownloadBench') {
    . (Join-Path $PSScriptRoot "$file.ps1")
}
$ModuleDir = (Resolve-Path $ModuleDir).Path
$WorkDir = [IO.Path]::GetFullPath($WorkDir)
New-Item -ItemType Directory -Force $WorkDir | Out-Null
$apiKey = Get-EmulatorApiKey

Build-Emulator $Configuration
$emulator = Start-Emulator -Configuration $Configuration
$rows = [Collections.Generic.List[object]]::new()
try {
    Import-Module (Join-Path $ModuleDir 'ZAi.psd1') -Force
    $base = $emulator.Url
    Connect-ZAi -ApiKey (ConvertTo-SecureString $apiKey -AsPlainText -Force) -BaseUri $base
    if ('Get' -in $Benchmark) { $rows.AddRange([object[]](Measure-GetBench -Base $base -ApiKey $apiKey -WorkDir $WorkDir)) }
    if ('Import' -in $Benchmark) { $rows.AddRange([object[]](Measure-ImportBench -ModuleDir $ModuleDir)) }
    if ('Wait' -in $Benchmark) { $rows.AddRange([object[]](Measure-WaitBench -Base $base -Headers @{ Authorization = "Bearer $apiKey" })) }
    if ('Save' -in $Benchmark) { $rows.AddRange([object[]](Measure-SaveBench -Base $base -ModuleDir $ModuleDir -WorkDir $WorkDir)) }
    if ('Download' -in $Benchmark) {
        $rows.AddRange([object[]](Measure-DownloadBench -Base $base -WorkDir $WorkDir))
        $nginxRows = @(Measure-NginxDownloadBench -WorkDir $WorkDir)
        if ($nginxRows.Count) { $rows.AddRange([object[]]$nginxRows) }
    }
    if ('Batch' -in $Benchmark) { $rows.AddRange([object[]](Measure-BatchBench -Base $base -ApiKey $apiKey -ModuleDir $ModuleDir -WorkDir $WorkDir)) }
    if ('Ledger' -in $Benchmark) { . (Join-Path $PSScriptRoot 'Measure-LedgerBench.ps1'); $rows.AddRange([object[]](Measure-LedgerBench -Base $base -WorkDir $WorkDir)) }
    if ('Scheduler' -in $Benchmark) { . (Join-Path $PSScriptRoot 'Measure-SchedulerBench.ps1'); $rows.AddRange([object[]](Measure-SchedulerBench -Base $base -WorkDir $WorkDir)) }
    if ('Memory' -in $Benchmark) { . (Join-Path $PSScriptRoot 'Measure-MemoryBench.ps1'); $rows.AddRange([object[]](Measure-MemoryBench -Base $base -ApiKey $apiKey -ModuleDir $ModuleDir -WorkDir $WorkDir)) }
}
finally {
    Stop-Emulator $emulator
}
$rows | Format-Table -AutoSize | Out-String -Width 400 | Write-Host
