# Row 2: 500 tasks finishing evenly over 20 s, first interval 1 s, cap 5 s: Wait-ZAiAsyncResult against the
# interval schedule, a foreach Invoke-RestMethod + Start-Sleep loop and the same loop in ForEach-Object -Parallel.

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
    $done = @($run.Ids | Wait-ZAiAsyncResult -PollIntervalSec $first -MaximumPollIntervalSec $max -ErrorAction Stop).Count
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
