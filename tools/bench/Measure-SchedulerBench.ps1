# The scheduler's view of a runbook (issue 24): the README runbook under -ErrorAction Stop over 20 input lines
# holding a blank line, a prompt whose task fails, one whose links expire before it is saved and one the budget
# refuses, re-run the way a scheduler re-runs a red job until a run sends and saves nothing new. Judged on
# outcomes, not time: no prompt paid twice, every paid task's files saved unless it failed or expired, every
# prompt ending Saved or in a reported end state, and every run telling the scheduler the batch is not done.

function Measure-SchedulerBench {
    param([string] $Base, [string] $WorkDir, [int] $MaxRuns = 5)
    $root = $Base -replace '/api$', ''
    $run = [guid]::NewGuid().ToString('n').Substring(0, 6)
    $folder = Join-Path $WorkDir 'bench-scheduler'
    $journal = Join-Path $WorkDir 'bench-scheduler.journal.jsonl'
    if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
    Remove-Item "$journal*" -Force -ErrorAction Ignore
    Set-EmulatorConfig $Base @{ concurrencyLimit = 3; submission = @{ processingMs = 200; mediaSize = 2048 }; failPrompts = @("BOOM $run"); expirePrompts = @("EXPIRE $run") }
    # 19 prompts at $0.20 under $3.60: 18 fit, the last is refused.
    $lines = @(1..16 | ForEach-Object { "bench scheduler $run prompt $_" })
    $lines = $lines[0..4] + @('  ') + $lines[5..9] + @("BOOM $run") + $lines[10..14] + @("EXPIRE $run") + $lines[15]
    $lines += "bench scheduler $run over budget"

    $runs = [Collections.Generic.List[object]]::new()
    $sentBefore = 0
    $savedBefore = 0
    foreach ($i in 1..$MaxRuns) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $outcome = & {
            $ErrorActionPreference = 'Stop'
            try {
                $lines | Start-ZAiVideoGeneration -Journal $journal -MaximumCost 3.60 -WarningAction SilentlyContinue |
                    Wait-ZAiAsyncResult -PollIntervalSec 0.1 -WarningAction SilentlyContinue |
                    Save-ZAiMedia -Path $folder -WarningAction SilentlyContinue | Out-Null
                'green'
            }
            catch { ($_.FullyQualifiedErrorId -split ',')[0] }
        }
        $sent = @(Invoke-RestMethod -Uri "$root/_emulator/tasks" | ForEach-Object { $_ } | Where-Object { $_.submittedBody -and $_.submittedBody.Contains($run) }).Count
        $saved = if (Test-Path $folder) { @(Get-ChildItem $folder -File | Where-Object Name -NotLike '*.partial*').Count } else { 0 }
        $runs.Add([pscustomobject]@{ Run = $i; Ms = [math]::Round($watch.Elapsed.TotalMilliseconds); Outcome = $outcome; Sent = $sent - $sentBefore; Saved = $saved - $savedBefore })
        $nothingNew = $i -gt 1 -and $sent -eq $sentBefore -and $saved -eq $savedBefore
        $sentBefore = $sent
        $savedBefore = $saved
        if ($nothingNew) { break }
    }

    $tasks = @(Invoke-RestMethod -Uri "$root/_emulator/tasks" | ForEach-Object { $_ } | Where-Object { $_.submittedBody -and $_.submittedBody.Contains($run) })
    $paidTwice = @($tasks | Group-Object { ($_.submittedBody | ConvertFrom-Json).prompt } | Where-Object Count -GT 1).Count
    $summary = Get-ZAiJournal $journal -Summary -WarningAction SilentlyContinue
    $states = "Saved $($summary.Saved), Failed $($summary.Failed), Expired $($summary.Expired), Refused $($summary.Refused), other $($summary.Total - $summary.Saved - $summary.Failed - $summary.Expired - $summary.Refused - $summary.Unknown)"
    $videos = @(Get-ChildItem $folder -Filter *.mp4).Count
    $everyRunRed = @($runs | Where-Object Outcome -NE 'ZAiBatchIncomplete').Count -eq 0
    $trace = ($runs | ForEach-Object { "run $($_.Run): $($_.Outcome), sent $($_.Sent), saved $($_.Saved) files, $($_.Ms) ms" }) -join '; '
    Write-Host "Scheduler: $trace"

    @(
        [pscustomobject]@{
            Benchmark = 'Scheduler: runs until one sends and saves nothing new'; 'ZAi ms' = "$($runs.Count) runs"
            Peer = 'expected'; 'Peer ms' = '<= 3 runs'; Ratio = "$($runs.Count)"; Target = '<= 3'; Met = $runs.Count -le 3
        }
        [pscustomobject]@{
            Benchmark = 'Scheduler: prompts paid for twice'; 'ZAi ms' = "$paidTwice prompts"
            Peer = 'expected'; 'Peer ms' = '0'; Ratio = "$paidTwice"; Target = '0'; Met = $paidTwice -eq 0 -and $tasks.Count -eq 18
        }
        [pscustomobject]@{
            Benchmark = 'Scheduler: how the 19 prompts ended'; 'ZAi ms' = $states
            Peer = 'expected'; 'Peer ms' = 'Saved 16, Failed 1, Expired 1, Refused 1, other 0'; Ratio = "$videos videos"; Target = '16 videos'
            Met = $states -eq 'Saved 16, Failed 1, Expired 1, Refused 1, other 0' -and $videos -eq 16
        }
        [pscustomobject]@{
            Benchmark = 'Scheduler: every run ends red (ZAiBatchIncomplete) at its end'; 'ZAi ms' = ($runs.Outcome -join ', ')
            Peer = 'expected'; 'Peer ms' = 'ZAiBatchIncomplete each'; Ratio = ''; Target = 'all'; Met = $everyRunRed
        }
    )
    Remove-Item $folder -Recurse -Force -ErrorAction Ignore
    Remove-Item "$journal*" -Force -ErrorAction Ignore
    Set-EmulatorConfig $Base @{ concurrencyLimit = 0; submission = @{}; failPrompts = @(); expirePrompts = @() }
}
