# A batch of 20 prompts on an account that allows 2 tasks in flight, tasks of 2 s each: the headline
# pipeline against the ideal ceil(20 / 2) x 2 s and against the loop a user writes today; then the same
# batch killed after 5 accepted tasks and run again with its journal.

function Set-BatchAccount {
    param([string] $Base, [int] $Limit, [int] $RunMs)
    Set-EmulatorConfig $Base @{ concurrencyLimit = $Limit; submission = @{ processingMs = $RunMs; mediaSize = 64KB } } | Out-Null
}

function Get-BatchStats {
    param([string] $Base)
    Invoke-RestMethod -Uri "$($Base -replace '/api$', '')/_emulator/config"
}

function Invoke-UserLoop {
    <# What a user writes without the module: for each prompt, POST with a retry on 429, then poll, then download. #>
    param([string] $Base, [hashtable] $Headers, [string[]] $Prompts, [string] $Folder)
    foreach ($prompt in $Prompts) {
        $body = @{ model = 'cogvideox-3'; prompt = $prompt } | ConvertTo-Json
        while ($true) {
            try { $task = Invoke-RestMethod -Method Post -Uri "$Base/paas/v4/videos/generations" -Headers $Headers -ContentType 'application/json' -Body $body; break }
            catch { if ($_.Exception.Response.StatusCode -eq 429) { Start-Sleep -Seconds 1 } else { throw } }
        }
        do {
            Start-Sleep -Milliseconds 500
            $result = Invoke-RestMethod -Uri "$Base/paas/v4/async-result/$($task.id)" -Headers $Headers
        } until ($result.task_status -in 'SUCCESS', 'FAIL')
        Invoke-WebRequest -Uri $result.video_result[0].url -OutFile (Join-Path $Folder "$($task.id).mp4")
        Invoke-WebRequest -Uri $result.video_result[0].cover_image_url -OutFile (Join-Path $Folder "$($task.id).jpg")
    }
}

function Measure-BatchBench {
    param([string] $Base, [string] $ApiKey, [string] $ModuleDir, [string] $WorkDir)
    $count = 20; $limit = 2; $runSec = 2
    $ideal = [math]::Ceiling($count / $limit) * $runSec
    $rows = @()
    $folder = Join-Path $WorkDir 'bench-batch'
    if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
    New-Item -ItemType Directory $folder | Out-Null

    # The module's pipeline. Connected through 'localhost' so what it learns about this account stays apart.
    $batchBase = $Base -replace '127\.0\.0\.1', 'localhost'
    Connect-ZAi -ApiKey (ConvertTo-SecureString $ApiKey -AsPlainText -Force) -BaseUri $batchBase
    Set-BatchAccount $Base $limit ($runSec * 1000)
    $before = Get-BatchStats $Base
    $prompts = 1..$count | ForEach-Object { "bench batch prompt $_ $([guid]::NewGuid().ToString('n').Substring(0, 6))" }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $files = @($prompts | Start-ZAiVideoGeneration -ErrorAction Stop | Wait-ZAiAsyncResult -PollIntervalSec 0.5 -ErrorAction Stop | Save-ZAiMedia -Path $folder -ErrorAction Stop).Count
    $zaiSec = $watch.Elapsed.TotalSeconds
    $after = Get-BatchStats $Base
    $accepted = $after.submissionsAccepted - $before.submissionsAccepted
    $refused = $after.concurrencyRefusals - $before.concurrencyRefusals
    if ($files -ne 2 * $count -or $accepted -ne $count) { throw "Batch: $files files and $accepted tasks accepted, expected $(2 * $count) and $count." }

    # The user's loop, on the same account.
    Remove-Item $folder/* -Force
    $wait = [Diagnostics.Stopwatch]::StartNew()
    while ((Get-BatchStats $Base).tasksInFlight -gt 0) { Start-Sleep -Milliseconds 100; if ($wait.Elapsed.TotalSeconds -gt 30) { throw 'Tasks of the batch still running.' } }
    $watch.Restart()
    Invoke-UserLoop -Base $Base -Headers @{ Authorization = "Bearer $ApiKey" } -Prompts ($prompts | ForEach-Object { "$_ loop" }) -Folder $folder
    $loopSec = $watch.Elapsed.TotalSeconds

    $rows += [pscustomobject]@{
        Benchmark = "Batch $count prompts, limit $limit, tasks $runSec s: wall"; 'ZAi ms' = [math]::Round($zaiSec * 1000)
        Peer = "ideal ceil($count/$limit) x $runSec s"; 'Peer ms' = [math]::Round($ideal * 1000)
        Ratio = '{0:0.00}x ideal' -f ($zaiSec / $ideal); Target = '<= 1.3x ideal'; Met = ($zaiSec / $ideal) -le 1.3
    }
    $rows += [pscustomobject]@{
        Benchmark = 'Batch: refused submissions per accepted task'; 'ZAi ms' = "$refused refused"
        Peer = 'accepted tasks'; 'Peer ms' = "$accepted accepted"
        Ratio = '{0:0.00} per task' -f ($refused / $accepted); Target = '<= 1 per task'; Met = ($refused / $accepted) -le 1
    }
    $rows += [pscustomobject]@{
        Benchmark = 'Batch: wall'; 'ZAi ms' = [math]::Round($zaiSec * 1000)
        Peer = 'foreach: IRM POST (retry 429), poll, IWR'; 'Peer ms' = [math]::Round($loopSec * 1000)
        Ratio = '{0:0.0}x faster' -f ($loopSec / $zaiSec); Target = 'report'; Met = $zaiSec -le $loopSec
    }

    # Killed after 5 accepted tasks, run again with the journal.
    Remove-Item $folder/* -Force
    $journal = Join-Path $WorkDir 'bench-batch.journal.jsonl'
    Remove-Item "$journal*" -Force -ErrorAction Ignore
    $before = Get-BatchStats $Base
    $crashPrompts = $prompts | ForEach-Object { "$_ crash" }
    $list = ($crashPrompts | ForEach-Object { "'$_'" }) -join ','
    $script = "Import-Module '$(Join-Path $ModuleDir 'ZAi.psd1')'; Connect-ZAi -ApiKey (ConvertTo-SecureString '$ApiKey' -AsPlainText -Force) -BaseUri '$batchBase'; " +
        "$list | Start-ZAiVideoGeneration -Journal '$journal' | Wait-ZAiAsyncResult -PollIntervalSec 0.5 | Save-ZAiMedia -Path '$folder' | Out-Null"
    $command = @(Get-PwshCommand)
    $info = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $child = [Diagnostics.Process]::Start($info)
    try {
        $watch.Restart()
        while ($true) {
            $journaled = if (Test-Path $journal) { @(Get-Content $journal | Where-Object { $_ -like '*"type":"accepted"*' }).Count } else { 0 }
            $acceptedNow = (Get-BatchStats $Base).submissionsAccepted - $before.submissionsAccepted
            if ($journaled -ge 5 -and $journaled -eq $acceptedNow) { break }
            if ($watch.Elapsed.TotalSeconds -gt 60) { throw 'The batch did not reach 5 accepted tasks within 60 s.' }
            Start-Sleep -Milliseconds 50
        }
        $child.Kill($true)
        $child.WaitForExit(10000) | Out-Null
    }
    finally { if (-not $child.HasExited) { $child.Kill($true) } }
    $killedAt = (Get-BatchStats $Base).submissionsAccepted - $before.submissionsAccepted
    $files = @($crashPrompts | Start-ZAiVideoGeneration -Journal $journal -ErrorAction Stop | Wait-ZAiAsyncResult -PollIntervalSec 0.5 -ErrorAction Stop | Save-ZAiMedia -Path $folder -ErrorAction Stop).Count
    $total = (Get-BatchStats $Base).submissionsAccepted - $before.submissionsAccepted
    $onDisk = @(Get-ChildItem $folder -File | Where-Object Name -NotLike '*.partial*').Count
    $rows += [pscustomobject]@{
        Benchmark = "Batch killed after $killedAt accepted, re-run with -Journal"; 'ZAi ms' = "$total accepted, $onDisk files"
        Peer = 'expected'; 'Peer ms' = "$count accepted, $(2 * $count) files"
        Ratio = '{0}/{1} tasks, {2}/{3} files' -f $total, $count, $onDisk, (2 * $count); Target = 'exactly'; Met = $total -eq $count -and $onDisk -eq 2 * $count -and $files -eq 2 * $count
    }
    Set-BatchAccount $Base 0 0
    Connect-ZAi -ApiKey (ConvertTo-SecureString $ApiKey -AsPlainText -Force) -BaseUri $Base
    Remove-Item $folder -Recurse -Force
    Remove-Item "$journal*" -Force -ErrorAction Ignore
    $rows
}
