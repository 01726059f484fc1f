# Helpers shared by the Pester tests: the emulator's control API and a connected session.
# build.ps1 Test starts the emulator and sets ZAI_EMULATOR_URL, ZAI_EMULATOR_API_KEY and ZAI_TEST_MODULE.
# Child processes, the isolated HOME and the package come from tools/ZAi.Build.psm1, shared with build.ps1.

Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../tools/ZAi.Build.psm1')

function Get-TestEmulatorUrl {
    if (-not $env:ZAI_EMULATOR_URL) { throw 'ZAI_EMULATOR_URL is not set: run the tests with ./build.ps1 Test.' }
    $env:ZAI_EMULATOR_URL
}

function Get-TestApiKey { $env:ZAI_EMULATOR_API_KEY }

function Get-EmulatorRoot { (Get-TestEmulatorUrl) -replace '/api/?$', '' }

function New-TestId {
    param([string] $Prefix = 't')
    '{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('n').Substring(0, 12)
}

function New-EmulatorTask {
    <# Creates tasks on the emulator from hashtables (see tests/ZAi.Emulator/TaskSpec.cs); returns their states. #>
    param([Parameter(Mandatory, ValueFromPipeline)][hashtable[]] $Spec)
    begin { $all = [Collections.Generic.List[hashtable]]::new() }
    process { $all.AddRange($Spec) }
    end {
        $body = ConvertTo-Json -InputObject @($all) -Depth 10
        Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/tasks" -ContentType 'application/json' -Body $body
    }
}

function Get-EmulatorTask {
    param([Parameter(Mandatory)][string] $Id)
    Invoke-RestMethod -Uri "$(Get-EmulatorRoot)/_emulator/task?id=$([uri]::EscapeDataString($Id))"
}

function Get-EmulatorRequest {
    param([string] $TaskId, [string] $PathContains)
    $query = @()
    if ($TaskId) { $query += 'taskId=' + [uri]::EscapeDataString($TaskId) }
    if ($PathContains) { $query += 'pathContains=' + [uri]::EscapeDataString($PathContains) }
    $uri = "$(Get-EmulatorRoot)/_emulator/requests"
    if ($query) { $uri += '?' + ($query -join '&') }
    # Invoke-RestMethod writes a JSON array as one object: unroll it so callers get one entry per request.
    Invoke-RestMethod -Uri $uri | ForEach-Object { $_ }
}

function Wait-EmulatorCondition {
    <# Polls the emulator until the condition holds: synchronises a test with the server, never a fixed sleep. #>
    param([Parameter(Mandatory)][scriptblock] $Condition, [int] $TimeoutSec = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Condition not met within $TimeoutSec s: $Condition" }
        Start-Sleep -Milliseconds 20
    }
}

function Set-EmulatorSubmission {
    <# Sets how tasks created by submissions behave (-Template: a TaskSpec hashtable) and the faults the next
       submissions meet (-Fault: FaultSpec hashtables, consumed one per submission). -Reset restores the defaults. #>
    param([hashtable] $Template, [hashtable[]] $Fault, [switch] $Reset)
    $config = @{}
    if ($Reset) { $config.submission = @{}; $config.submissionFaults = @() }
    if ($PSBoundParameters.ContainsKey('Template')) { $config.submission = $Template }
    if ($PSBoundParameters.ContainsKey('Fault')) { $config.submissionFaults = @($Fault) }
    $body = ConvertTo-Json -InputObject $config -Depth 10
    Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/config" -ContentType 'application/json' -Body $body
}

function Get-EmulatorSubmission {
    <# The submissions the emulator received whose body contains $Match (a request id, a prompt), oldest first,
       each with its parsed body. #>
    param([Parameter(Mandatory)][string] $Match)
    Get-EmulatorRequest -PathContains '/generations' | Where-Object { $_.body -and $_.body.Contains($Match) } | ForEach-Object {
        $_ | Add-Member -NotePropertyName Json -NotePropertyValue ($_.body | ConvertFrom-Json) -PassThru
    }
}

function Connect-TestEmulator {
    <# Connects the module to the emulator; extra parameters go to Connect-ZAi. #>
    param([hashtable] $Extra = @{})
    $key = ConvertTo-SecureString (Get-TestApiKey) -AsPlainText -Force
    Connect-ZAi -ApiKey $key -BaseUri (Get-TestEmulatorUrl) @Extra
}

function New-ConnectedShell {
    <# A second PowerShell on its own thread with the module imported and connected to the emulator, for
       Ctrl+C ($shell.Stop()) and progress tests. The caller disposes it. #>
    $shell = [powershell]::Create()
    $null = $shell.AddScript({
            param($module, $url, $key)
            Import-Module $module
            Connect-ZAi -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $url
        }).AddArgument($env:ZAI_TEST_MODULE).AddArgument((Get-TestEmulatorUrl)).AddArgument((Get-TestApiKey))
    $shell.Invoke() | Out-Null
    $shell.Commands.Clear()
    $shell
}

function Invoke-TestPwsh {
    <# Runs a command in a fresh PowerShell process and returns what it printed (host output included).
       -Environment sets variables for that process only (e.g. a temporary HOME). #>
    param([Parameter(Mandatory)][string] $Command, [hashtable] $Environment = @{})
    Invoke-ChildPwsh -Script $Command -Environment $Environment -CaptureOutput
}

function Invoke-ConnectedTestPwsh {
    <# Runs a command in a fresh PowerShell with the module imported and connected to the emulator, and returns
       what it printed, host output included (where -WhatIf messages go). #>
    param([Parameter(Mandatory)][string] $Command, [switch] $NotConnected)
    $connect = if ($NotConnected) { '' } else { "Connect-ZAi -ApiKey (ConvertTo-SecureString '$(Get-TestApiKey)' -AsPlainText -Force) -BaseUri '$(Get-TestEmulatorUrl)'; " }
    Invoke-TestPwsh -Command "Import-Module '$env:ZAI_TEST_MODULE'; $connect$Command" -Environment @{ ZAI_API_KEY = $null; ZAI_BASE_URL = $null }
}

function Get-EmulatorSubmittedTask {
    <# The tasks created by submissions whose body contains $Match; a task exists before its (maybe slow) answer is sent. #>
    param([Parameter(Mandatory)][string] $Match)
    Invoke-RestMethod -Uri "$(Get-EmulatorRoot)/_emulator/tasks" | ForEach-Object { $_ } | Where-Object { $_.submittedBody -and $_.submittedBody.Contains($Match) }
}

function Stop-TestShell {
    <# Presses Ctrl+C on a shell from New-ConnectedShell and fails unless the stop returns within -WithinSec:
       a stop that is not honoured fails the test instead of hanging the run. #>
    param([Parameter(Mandatory)][powershell] $Shell, [double] $WithinSec = 2)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $stopping = $Shell.BeginStop($null, $null)
    if (-not $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($WithinSec))) {
        throw "The stop did not return within $WithinSec s."
    }
    $Shell.EndStop($stopping)
    $watch.Elapsed
}

function Set-EmulatorHold {
    <# Arms the emulator's hold gate: after -Count events of -On (request, accepted, media) it holds every API and
       media request until Clear-EmulatorHold, which drops them unanswered. A test freezes a client at an event. #>
    param([Parameter(Mandatory)][ValidateSet('request', 'accepted', 'media')][string] $On, [int] $Count = 1)
    Invoke-RestMethod -Method Post -Uri "$(Get-EmulatorRoot)/_emulator/hold" -ContentType 'application/json' -Body (@{ on = $On; count = $Count } | ConvertTo-Json) | Out-Null
}

function Wait-EmulatorHold {
    <# Waits (a long poll on the emulator) until the armed gate holds; throws when -Process exits first or after -TimeoutSec. #>
    param([Diagnostics.Process] $Process, [int] $TimeoutSec = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (Invoke-RestMethod -Uri "$(Get-EmulatorRoot)/_emulator/hold?waitMs=500").holding) {
        if ($Process -and $Process.HasExited) { throw "The process exited before the emulator's hold gate was reached: $($Process.StandardError.ReadToEnd())" }
        if ([DateTime]::UtcNow -gt $deadline) { throw "The emulator's hold gate was not reached within $TimeoutSec s." }
    }
}

function Clear-EmulatorHold {
    <# Drops every held request unanswered and disarms the gate. #>
    Invoke-RestMethod -Method Delete -Uri "$(Get-EmulatorRoot)/_emulator/hold" | Out-Null
}

Export-ModuleMember -Function *
