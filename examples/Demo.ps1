<#
.SYNOPSIS
    Runs the pipeline a user would type, against the local Z.AI emulator: submit, wait, download, inspect.
.DESCRIPTION
    Starts the emulator (tests/ZAi.Emulator) with a few tasks in different states, imports the built module
    and runs each step, printing it first. Run it with ./build.ps1 Demo, which builds the module first.
.EXAMPLE
    ./examples/Demo.ps1 -ModuleDir ./out/ZAi
#>
[CmdletBinding()]
param(
    # The built module folder (out/ZAi after ./build.ps1 Build).
    [string] $ModuleDir = (Join-Path $PSScriptRoot '../out/ZAi'),
    # The build configuration of the emulator to start.
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Where the demo saves media; emptied first.
    [string] $MediaDir = (Join-Path $PSScriptRoot '../out/demo-media')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../tools/ZAi.Build.psm1') -Force
$ModuleDir = (Resolve-Path $ModuleDir).Path
$demoDir = [IO.Path]::GetFullPath($MediaDir)
$apiKey = Get-EmulatorApiKey

Build-Emulator $Configuration
$emulator = Start-Emulator -Configuration $Configuration
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
    # Submitted tasks run for 2 s in the emulator, then succeed with 2 MB of media; like a small real
    # account, it allows 2 tasks in flight, so a batch queues.
    Set-EmulatorConfig $emulator.Url @{ concurrencyLimit = 2; submission = @{ processingMs = 2000; mediaSize = 2MB } }
    $journal = Join-Path $demoDir 'storyboard.journal.jsonl'
    $null = New-Item -ItemType Directory -Force $demoDir
    Import-Module (Join-Path $ModuleDir 'ZAi.psd1') -Force
    $steps = @(
        "Connect-ZAi -ApiKey (ConvertTo-SecureString '$apiKey' -AsPlainText -Force) -BaseUri '$($emulator.Url)' -PassThru"
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
        "`$shots = 1..6 | ForEach-Object { `"Storyboard shot `$_ of a lighthouse keeper's day`" }   # a batch larger than the account's 2 tasks in flight"
        "`$shots | Start-ZAiVideoGeneration -Journal '$journal' -Verbose | Wait-ZAiAsyncResult -PollIntervalSec 0.5 | Save-ZAiMedia -Path '$demoDir' -Kind Video | Format-Table Name, Length, TaskId -AutoSize"
        "`$shots | Start-ZAiVideoGeneration -Journal '$journal' -WhatIf   # a re-run with the journal submits nothing again"
        "Get-ZAiJournal '$journal' -Summary   # the runbook's ledger at a glance"
        "Get-ZAiJournal '$journal' | Format-Table Line, State, TaskId, Prompt -AutoSize"
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
