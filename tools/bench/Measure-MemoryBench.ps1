# Memory and pace at scale (issue 26): the README's runbook run in a child session on an account that allows 20
# tasks in flight, its peak working set compared with a fresh session that only imported the module. A run's memory
# stays flat in the number of prompts (200 against 2,000 at 0.2 s tasks, each run's peak over its own session's
# working set before the run, the least of five; reported beside
# the floor's growth over the same sizes, what PowerShell's own pipeline adds, and beside the same runs without
# -Journal, what the ledger adds, and beside what the run keeps at its last file, exact); a re-run of a
# finished journal (no request sent) stays within 32 MiB of a fresh session and grows no faster than the journal on
# disk (2,000 against 5,000 prompts), reported beside the same re-run written in plain PowerShell and beside the
# same re-runs with the first GC generation held to 4 MiB (what the session keeps, without the collector's
# allowance) and beside the floor (the same pipeline and rows with no module or journal, what PowerShell itself
# takes); 1,000 prompts of 0.5 s tasks keep the account busy within 1.15x of ceil(N / 20) x 0.5 s. The issue's own
# row, 5,000 prompts of 0.5 s tasks through the whole runbook and its re-run, is reported as it was measured there.
# A session's peak only ever gains from noise: PowerShell itself, with no module imported, starts in one of two modes
# some 9 MiB of native memory apart (anonymous memory, not the GC heap; in streaks, as often as not the high one on
# some machines). So the fresh session, every run and every re-run are the least of five: the same estimator on both
# sides of each difference. The two re-runs the growth row subtracts are the least of nine: within the low mode their
# peaks still spread by 1-2 MiB, a third of the journal's growth. A re-run of a 10-prompt journal beside its floor
# shows what the module costs before any prompt's share.

function Invoke-MemoryRunbook {
    <# Runs MemoryRunbook.ps1 in a child pwsh; returns its peak working set (bytes), wall seconds and files. #>
    param([string] $ModuleDir, [string] $Base, [string] $ApiKey, [string] $WorkDir, [string] $Name, [string[]] $Prompts, [switch] $Fresh, [switch] $NoSave, [switch] $SmallGen0, [switch] $Peer, [switch] $Floor, [switch] $Kept, [switch] $NoJournal, [switch] $SmallRegions)
    $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'MemoryRunbook.ps1'), '-ModuleDir', $ModuleDir, '-Base', $Base, '-ApiKey', $ApiKey)
    if ($NoSave) { $arguments += '-NoSave' }
    if ($Peer) { $arguments += '-Peer' }
    if ($Floor) { $arguments += '-Floor' }
    if ($Kept) { $arguments += '-Kept' }
    if ($NoJournal) { $arguments += '-NoJournal' }
    if ($Fresh) { $arguments += '-Fresh' }
    else {
        $promptsFile = Join-Path $WorkDir "bench-memory-$Name.txt"
        Set-Content -Path $promptsFile -Value $Prompts -Encoding utf8NoBOM
        $csv = Join-Path $WorkDir ("bench-memory-$Name" + $(if ($Peer) { '.peer' }) + '.csv')
        $arguments += @('-Prompts', $promptsFile, '-Journal', (Join-Path $WorkDir "bench-memory-$Name.journal.jsonl"),
            '-Folder', (Join-Path $WorkDir "bench-memory-$Name"), '-Csv', $csv)
        New-Item -ItemType Directory -Force (Join-Path $WorkDir "bench-memory-$Name") | Out-Null
    }
    $command = @(Get-PwshCommand)
    # -SmallGen0: the runtime's first GC generation held to 4 MiB, so the peak shows what the session keeps rather than
    # the garbage the collector lets pile up first (its default budget follows the CPU's cache, tens of MiB here).
    $env:DOTNET_GCgen0size = if ($SmallGen0) { '0x400000' } else { $null }
    # -SmallRegions: the collector's regions at 1 MiB instead of .NET's 4 MiB, so a generation that grows by a little
    # commits a little (see the flatness rows).
    $env:DOTNET_GCRegionSize = if ($SmallRegions) { '0x100000' } else { $null }
    # Each kind of session keeps its own PowerShell cache folder (Linux and macOS read it from XDG_CACHE_HOME). A
    # session replays, on a background thread, the JIT profile the previous session left in that folder: sharing one
    # folder, a re-run compiled what a fresh session or a floor used before it, and the other way round (4 to 12 MiB
    # on a re-run's peak). Now each measurement's sessions follow sessions of their own kind, as a scheduled runbook
    # follows its own last run.
    $cacheHome = $env:XDG_CACHE_HOME
    $bound = $PSBoundParameters
    $kind = (@($Name) + @('Fresh', 'NoSave', 'SmallGen0', 'Peer', 'Floor', 'Kept', 'NoJournal', 'SmallRegions' | Where-Object { $bound[$_] })) -join '-'
    $env:XDG_CACHE_HOME = Join-Path $WorkDir "bench-memory-cache/$kind"
    try { $output = & $command[0] @($command | Select-Object -Skip 1) @arguments 2>&1 }
    finally { $env:DOTNET_GCgen0size = $null; $env:DOTNET_GCRegionSize = $null; $env:XDG_CACHE_HOME = $cacheHome }
    $line = @($output | Where-Object { "$_" -like '{"peakBytes"*' }) | Select-Object -Last 1
    if (-not $line) { throw "Memory: the child session ($Name) printed no measurement: $($output -join [Environment]::NewLine)" }
    $line | ConvertFrom-Json
}

function Get-BusySeconds {
    <# How long the account was busy with one run's tasks: from the first task's creation to the last one's, by the emulator's stamps, plus one task's time. #>
    param([string] $Root, [string] $PromptMark, [int] $Count)
    $created = @(Invoke-RestMethod -Uri "$Root/_emulator/tasks" | ForEach-Object { $_ } |
            Where-Object { $_.submittedBody -and $_.submittedBody.Contains($PromptMark) } |
            ForEach-Object { ([DateTimeOffset]$_.createdAt).ToUnixTimeMilliseconds() } | Sort-Object)
    if ($created.Count -ne $Count) { throw "Memory: the emulator holds $($created.Count) tasks of '$PromptMark', expected $Count." }
    ($created[-1] - $created[0]) / 1000 + 0.5
}

function Get-MemoryLoad {
    <# The 1-minute load average where the system tells it (Linux), so a noisy figure can be told from a slow one. #>
    if (Test-Path /proc/loadavg) { 'load {0}' -f ((Get-Content /proc/loadavg) -split ' ')[0] } else { '' }
}

function Assert-TwoFilesAPrompt {
    <# Every run saves, and every re-run outputs, a video and a cover a prompt: fewer means it measured something else. #>
    param([object[]] $Runs, [int] $Prompts, [string] $What)
    $wrong = @($Runs | Where-Object files -ne (2 * $Prompts))
    if ($wrong) { throw "Memory: $What $($wrong[0].files) files, expected $(2 * $Prompts)." }
}

function Measure-MemoryBench {
    param([string] $Base, [string] $ApiKey, [string] $ModuleDir, [string] $WorkDir, [int] $Limit = 20,
        [int] $Small = 200, [int] $Large = 2000, [int] $PaceCount = 1000, [int] $Huge = 5000, [int] $Tiny = 10)
    $mib = 1MB
    $run = [guid]::NewGuid().ToString('n').Substring(0, 6)
    $names = 'fresh', "run$Tiny", "run$Small", "run$Large", "nojournal$Small", "nojournal$Large", "regions$Small", "regions$Large", "kept$Small", "kept$Large", "pace$PaceCount", "run$Huge"
    # A run's folder and its files (prompts, journal, lock, output), and not another run's whose name starts the same.
    function Clear-Run([string] $name) {
        Remove-Item (Join-Path $WorkDir "bench-memory-$name"), (Join-Path $WorkDir "bench-memory-$name.*") -Recurse -Force -ErrorAction Ignore
    }
    # Every run's files, and the sessions' cache folders: each kind of session starts without a JIT profile (see
    # Invoke-MemoryRunbook). Before the bench and after it.
    function Clear-Bench {
        foreach ($name in $names) { Clear-Run $name }
        Remove-Item (Join-Path $WorkDir 'bench-memory-cache') -Recurse -Force -ErrorAction Ignore
    }
    Clear-Bench
    function Prompts([string] $name, [int] $count) { 1..$count | ForEach-Object { "bench memory $run $name prompt $_" } }
    # The least of five sessions (see the top of this file), and the spread of all five.
    $least = { param($runs) @($runs | Sort-Object peakBytes)[0] }
    $spread = { param($runs) $sorted = @($runs | Sort-Object peakBytes); '{0:0}-{1:0} MiB' -f ($sorted[0].peakBytes / $mib), ($sorted[-1].peakBytes / $mib) }
    $nOf = { param([int] $count, [hashtable] $with) @(foreach ($i in 1..$count) { Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir @with }) }
    $fiveOf = { param([hashtable] $with) & $nOf 5 $with }
    $freshRuns = & $fiveOf @{ Name = 'fresh'; Fresh = $true }
    $fresh = & $least $freshRuns
    $rows = [Collections.Generic.List[object]]::new()
    $over = { param($m) ($m.peakBytes - $fresh.peakBytes) / $mib }
    # The least of five sessions' own growth: each run's peak over its working set before the run (MiB).
    $ownGrowth = { param($runs) @($runs | ForEach-Object { ($_.peakBytes - $_.startBytes) / $mib } | Sort-Object)[0] }
    # The flatness ratio on that measure: the large runs' own growth over the small runs'.
    $ownRatio = { param($smallRuns, $largeRuns) (& $ownGrowth $largeRuns) / [math]::Max((& $ownGrowth $smallRuns), 1) }

    # A run's memory: small and large at 0.2 s tasks. Files of 64 bytes hold no picture, so the emulator serves its
    # patterned bytes instead of encoding a real JPEG or MP4 for each (half a second of one of two cores a file):
    # the runs measure the module, not the stand-in's encoder.
    Set-EmulatorConfig $Base @{ concurrencyLimit = $Limit; submission = @{ processingMs = 200; mediaSize = 64 } }
    $promptsTiny = Prompts "run$Tiny" $Tiny
    $runTiny = Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir -Name "run$Tiny" -Prompts $promptsTiny
    $promptsSmall = Prompts "run$Small" $Small
    $promptsLarge = Prompts "run$Large" $Large
    # Each run from scratch (its journal, files and output removed first), the least of five: a run is a session's
    # peak too, and carries the native noise above, enough to decide the flatness ratio on its own. Least of three
    # missed the low mode in all three 2,000-prompt runs of one bench (1.33x).
    $runsOf = { param([string] $name, [string[]] $prompts, [switch] $NoJournal, [switch] $SmallRegions)
        @(foreach ($i in 1..5) {
                Clear-Run $name
                Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir -Name $name -Prompts $prompts -NoJournal:$NoJournal -SmallRegions:$SmallRegions
            }) }
    $runSmallRuns = & $runsOf "run$Small" $promptsSmall
    $runSmall = & $least $runSmallRuns
    $loadSmall = Get-MemoryLoad
    $runLargeRuns = & $runsOf "run$Large" $promptsLarge
    $runLarge = & $least $runLargeRuns
    $loadLarge = Get-MemoryLoad
    # The same runs without -Journal: what the pipeline costs without the ledger, so the journal's share shows.
    $noJournalSmallRuns = & $runsOf "nojournal$Small" $promptsSmall -NoJournal
    $noJournalSmall = & $least $noJournalSmallRuns
    $noJournalLargeRuns = & $runsOf "nojournal$Large" $promptsLarge -NoJournal
    $noJournalLarge = & $least $noJournalLargeRuns
    # The same runs and a fresh session with the collector's regions at 1 MiB: what a run keeps grows the oldest
    # generation by a few MiB, which the collector commits a whole region (4 MiB by default) at a time.
    $regionsFreshRuns = & $fiveOf @{ Name = 'fresh'; Fresh = $true; SmallRegions = $true }
    $regionsFresh = & $least $regionsFreshRuns
    $regionsSmallRuns = & $runsOf "regions$Small" $promptsSmall -SmallRegions
    $regionsSmall = & $least $regionsSmallRuns
    $regionsLargeRuns = & $runsOf "regions$Large" $promptsLarge -SmallRegions
    $regionsLarge = & $least $regionsLargeRuns
    # What a run keeps at its last file (the heap after a full collection, against before the run): exact, where the
    # peaks above carry PowerShell's and the collector's noise. One run of each size, from scratch, under names of their
    # own: the re-runs below keep the large run's journal, and a kept re-run its own kind of session (cache folder).
    $keptRunOf = { param([string] $name, [string[]] $prompts)
        Clear-Run $name
        Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir -Name $name -Prompts $prompts -Kept }
    $keptRunSmall = & $keptRunOf "kept$Small" $promptsSmall
    $keptRunLarge = & $keptRunOf "kept$Large" $promptsLarge
    $keptJournalLarge = (Get-Item (Join-Path $WorkDir "bench-memory-kept$Large.journal.jsonl")).Length
    foreach ($check in @(@(@($runTiny), $Tiny), @($runSmallRuns, $Small), @($runLargeRuns, $Large), @($noJournalSmallRuns, $Small), @($noJournalLargeRuns, $Large), @($regionsSmallRuns, $Small), @($regionsLargeRuns, $Large), @(@($keptRunSmall), $Small), @(@($keptRunLarge), $Large))) { Assert-TwoFilesAPrompt $check[0] $check[1] 'a run saved' }

    # Pace: 0.5 s tasks against ceil(N / limit) x 0.5 s, Start and Wait only (the submission pace, not the downloads'):
    # how long the account was kept busy, from the first task's creation to the last one's end by the emulator's
    # stamps, and the whole command for the record (Wait's last look at each task adds its poll interval).
    Set-EmulatorConfig $Base @{ concurrencyLimit = $Limit; submission = @{ processingMs = 500; mediaSize = 64 } }
    $promptsPace = Prompts "pace$PaceCount" $PaceCount
    $pace = Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir -Name "pace$PaceCount" -Prompts $promptsPace -NoSave
    $loadPace = Get-MemoryLoad
    if ($pace.files -ne $PaceCount) { throw "Memory: the pace run waited for $($pace.files) tasks, expected $PaceCount." }
    $ideal = [math]::Ceiling($PaceCount / $Limit) * 0.5
    $root = $Base -replace '/api$', ''
    $busy = Get-BusySeconds $root "$run pace$PaceCount prompt" $PaceCount

    # The issue's own scale: 5,000 prompts of 0.5 s tasks through the whole runbook (its files saved as they come),
    # the account's busy time against the ideal and the run's peak. Its journal is the larger one the growth rows use.
    $promptsHuge = Prompts "run$Huge" $Huge
    $runHuge = Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir -Name "run$Huge" -Prompts $promptsHuge
    $loadHuge = Get-MemoryLoad
    if ($runHuge.files -ne 2 * $Huge) { throw "Memory: the run of $Huge saved $($runHuge.files) files, expected $(2 * $Huge)." }
    $idealHuge = [math]::Ceiling($Huge / $Limit) * 0.5
    $busyHuge = Get-BusySeconds $root "$run run$Huge prompt" $Huge

    # Re-runs of the finished journals: no request may be sent.
    $before = (Invoke-RestMethod -Uri "$root/_emulator/config").submissionsAccepted
    $rerunTinyRuns = & $fiveOf @{ Name = "run$Tiny"; Prompts = $promptsTiny }
    $rerunTiny = & $least $rerunTinyRuns
    $floorTinyRuns = & $fiveOf @{ Name = "run$Tiny"; Prompts = $promptsTiny; Floor = $true }
    $floorTiny = & $least $floorTinyRuns
    $rerunLargeRuns = & $nOf 9 @{ Name = "run$Large"; Prompts = $promptsLarge }
    $rerunLarge = & $least $rerunLargeRuns
    $loadRerunLarge = Get-MemoryLoad
    $rerunHugeRuns = & $nOf 9 @{ Name = "run$Huge"; Prompts = $promptsHuge }
    $rerunHuge = & $least $rerunHugeRuns
    $loadRerunHuge = Get-MemoryLoad
    # The same re-run in plain PowerShell: what the ledger costs against doing the same by hand.
    $peerRuns = & $fiveOf @{ Name = "run$Large"; Prompts = $promptsLarge; Peer = $true }
    $peerLarge = & $least $peerRuns
    # The floor: the same pipeline's shape and rows with no module and no journal, at both sizes.
    $floorLargeRuns = & $fiveOf @{ Name = "run$Large"; Prompts = $promptsLarge; Floor = $true }
    $floorLarge = & $least $floorLargeRuns
    # And at the small run's size: what PowerShell's own pipeline and Export-Csv add from the small run to the large.
    $floorSmallRuns = & $fiveOf @{ Name = "run$Small"; Prompts = $promptsSmall; Floor = $true }
    $floorSmall = & $least $floorSmallRuns
    $floorHugeRuns = & $fiveOf @{ Name = "run$Huge"; Prompts = $promptsHuge; Floor = $true }
    $floorHuge = & $least $floorHugeRuns
    # The same re-runs and a fresh session with the first GC generation held small: what the session keeps.
    $freshSmall = (& $least (& $fiveOf @{ Name = 'fresh'; Fresh = $true; SmallGen0 = $true })).peakBytes
    $keptLarge = (& $least (& $fiveOf @{ Name = "run$Large"; Prompts = $promptsLarge; SmallGen0 = $true })).peakBytes - $freshSmall
    $keptHuge = (& $least (& $fiveOf @{ Name = "run$Huge"; Prompts = $promptsHuge; SmallGen0 = $true })).peakBytes - $freshSmall
    # What each re-run keeps (the heap after a full collection at its last file): exact, one run each.
    $keptIndexLarge = (Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir -Name "run$Large" -Prompts $promptsLarge -Kept).keptBytes
    $keptIndexHuge = (Invoke-MemoryRunbook -ModuleDir $ModuleDir -Base $Base -ApiKey $ApiKey -WorkDir $WorkDir -Name "run$Huge" -Prompts $promptsHuge -Kept).keptBytes
    $sent = (Invoke-RestMethod -Uri "$root/_emulator/config").submissionsAccepted - $before
    foreach ($check in @(@($rerunTinyRuns, $Tiny), @($floorTinyRuns, $Tiny), @($rerunLargeRuns, $Large), @($rerunHugeRuns, $Huge), @($peerRuns, $Large), @($floorSmallRuns, $Small), @($floorLargeRuns, $Large), @($floorHugeRuns, $Huge))) {
        Assert-TwoFilesAPrompt $check[0] $check[1] 'a re-run output'
    }
    # Growth is measured from 2,000 to 5,000 prompts: 4 MiB of journal, where a peak's noise (about a MiB from
    # session to session) no longer decides the ratio as it did over the 1.4 MiB from 1,000 to 2,000.
    $journalLarge = (Get-Item (Join-Path $WorkDir "bench-memory-run$Large.journal.jsonl")).Length
    $journalHuge = (Get-Item (Join-Path $WorkDir "bench-memory-run$Huge.journal.jsonl")).Length
    $memoryGrowth = $rerunHuge.peakBytes - $rerunLarge.peakBytes
    $journalGrowth = $journalHuge - $journalLarge
    $growth = $memoryGrowth / $journalGrowth
    $floorGrowth = ($floorHuge.peakBytes - $floorLarge.peakBytes) / $journalGrowth
    $keptGrowth = ($keptHuge - $keptLarge) / $journalGrowth
    $indexGrowth = ($keptIndexHuge - $keptIndexLarge) / $journalGrowth
    $flat = (& $over $runLarge) / [math]::Max((& $over $runSmall), 1)
    # The target's ratio: each run over its own session's start, the least of five. Over a fresh session, a size whose
    # five runs all started in PowerShell's high mode reads about 9 MiB high, and the ratio low (1.11x once).
    $ownSmall = & $ownGrowth $runSmallRuns
    $ownLarge = & $ownGrowth $runLargeRuns
    $flatOwn = & $ownRatio $runSmallRuns $runLargeRuns

    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: fresh session, module imported, least of 5 ($(Get-MemoryLoad))"; 'ZAi ms' = '{0:0} MiB' -f ($fresh.peakBytes / $mib)
            Peer = 'report'; 'Peer ms' = ''; Ratio = "all 5: $(& $spread $freshRuns)"; Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: run of $Small prompts, 0.2 s tasks, limit $Limit, least of 5 ($loadSmall)"; 'ZAi ms' = '+{0:0.0} MiB' -f (& $over $runSmall)
            Peer = 'fresh session'; 'Peer ms' = '{0:0} MiB' -f ($fresh.peakBytes / $mib); Ratio = ('{0:0.0} s, all 5: {1}' -f @($runSmall.seconds, (& $spread $runSmallRuns))); Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: run of $Large prompts, 0.2 s tasks, over the run of $Small, each over its session's start before the run, least of 5 ($loadLarge)"; 'ZAi ms' = '+{0:0.0} MiB' -f $ownLarge
            Peer = "run of $Small"; 'Peer ms' = '+{0:0.0} MiB' -f $ownSmall
            Ratio = ('{0:0.00}x; over a fresh session +{1:0.0} / +{2:0.0} MiB, {3:0.00}x, all 5: {4}' -f @($flatOwn, (& $over $runSmall), (& $over $runLarge), $flat, (& $spread $runLargeRuns))); Target = '<= 1.25x (flat)'; Met = $flatOwn -le 1.25
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the same growth from $Small to $Large prompts beside the floor's (the same pipeline and rows without the module), least of 5 each"
            'ZAi ms' = '{0:+0.0;-0.0;0.0} MiB' -f ((& $over $runLarge) - (& $over $runSmall)); Peer = 'floor growth'
            'Peer ms' = ('{0:+0.0;-0.0;0.0} MiB (+{1:0.0} / +{2:0.0} MiB)' -f @(((& $over $floorLarge) - (& $over $floorSmall)), (& $over $floorSmall), (& $over $floorLarge)))
            Ratio = ('the module {0:+0.0;-0.0;0.0} MiB, {1:0.0} KiB a prompt' -f @((((& $over $runLarge) - (& $over $runSmall)) - ((& $over $floorLarge) - (& $over $floorSmall))), (((($runLarge.peakBytes - $runSmall.peakBytes) - ($floorLarge.peakBytes - $floorSmall.peakBytes)) / 1KB) / ($Large - $Small))))
            Target = 'report'; Met = $true
        })
    $flatNoJournal = (& $over $noJournalLarge) / [math]::Max((& $over $noJournalSmall), 1)
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the same runs of $Small and $Large prompts without -Journal (the module with no ledger), least of 5 each"
            'ZAi ms' = ('+{0:0.0} / +{1:0.0} MiB' -f @((& $over $runSmall), (& $over $runLarge))); Peer = 'without -Journal'
            'Peer ms' = ('+{0:0.0} / +{1:0.0} MiB, all 5: {2} / {3}' -f @((& $over $noJournalSmall), (& $over $noJournalLarge), (& $spread $noJournalSmallRuns), (& $spread $noJournalLargeRuns)))
            Ratio = ('{0:0.00}x without over each session''s start ({1:0.00}x over a fresh session); the journal at {2} prompts {3:+0.0;-0.0;0.0} MiB' -f @((& $ownRatio $noJournalSmallRuns $noJournalLargeRuns), $flatNoJournal, $Large, (($runLarge.peakBytes - $noJournalLarge.peakBytes) / $mib)))
            Target = 'report'; Met = $true
        })
    $overRegions = { param($m) ($m.peakBytes - $regionsFresh.peakBytes) / $mib }
    $flatRegions = (& $overRegions $regionsLarge) / [math]::Max((& $overRegions $regionsSmall), 1)
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the same runs of $Small and $Large prompts with the collector's regions at 1 MiB (DOTNET_GCRegionSize; .NET's are 4 MiB), over a fresh session with them, least of 5 each"
            'ZAi ms' = ('+{0:0.0} / +{1:0.0} MiB' -f @((& $over $runSmall), (& $over $runLarge))); Peer = '1 MiB regions'
            'Peer ms' = ('+{0:0.0} / +{1:0.0} MiB over {2:0} MiB, all 5: {3} / {4}' -f @((& $overRegions $regionsSmall), (& $overRegions $regionsLarge), ($regionsFresh.peakBytes / $mib), (& $spread $regionsSmallRuns), (& $spread $regionsLargeRuns)))
            Ratio = ('{0:0.00}x with 1 MiB regions, {1:0.00}x with 4 MiB, over each session''s start ({2:0.00}x and {3:0.00}x over a fresh session)' -f @((& $ownRatio $regionsSmallRuns $regionsLargeRuns), $flatOwn, $flatRegions, $flat))
            Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: what a run keeps at its last file (the heap after a full collection, against before the run), $Small and $Large prompts, one run each"
            'ZAi ms' = ('+{0:0.00} / +{1:0.00} MiB' -f @(($keptRunSmall.keptBytes / $mib), ($keptRunLarge.keptBytes / $mib))); Peer = 'journal on disk'
            'Peer ms' = ('{0:0.00} MiB at {1} prompts' -f @(($keptJournalLarge / $mib), $Large))
            Ratio = ('{0:0} bytes a prompt kept from {1} to {2} prompts; the journal {3:0} bytes a prompt' -f @((($keptRunLarge.keptBytes - $keptRunSmall.keptBytes) / ($Large - $Small)), $Small, $Large, ($keptJournalLarge / $Large)))
            Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Pace: $PaceCount prompts, 0.5 s tasks, limit $Limit, the account busy from first task to last ($loadPace)"; 'ZAi ms' = [math]::Round($busy * 1000)
            Peer = "ideal ceil($PaceCount/$Limit) x 0.5 s"; 'Peer ms' = [math]::Round($ideal * 1000)
            Ratio = '{0:0.00}x ideal' -f ($busy / $ideal); Target = '<= 1.15x ideal'; Met = ($busy / $ideal) -le 1.15
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Pace: the same, Start | Wait end to end (Wait's last poll of each task included)"; 'ZAi ms' = [math]::Round($pace.seconds * 1000)
            Peer = "ideal ceil($PaceCount/$Limit) x 0.5 s"; 'Peer ms' = [math]::Round($ideal * 1000)
            Ratio = '{0:0.00}x ideal' -f ($pace.seconds / $ideal); Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Pace and memory: $Huge prompts, 0.5 s tasks, limit $Limit, the whole runbook (files saved as they come), the account busy from first task to last ($loadHuge)"
            'ZAi ms' = [math]::Round($busyHuge * 1000); Peer = "ideal ceil($Huge/$Limit) x 0.5 s"; 'Peer ms' = [math]::Round($idealHuge * 1000)
            Ratio = ('{0:0.00}x ideal ({1:0.00}x end to end), peak +{2:0.0} MiB ({3:0} MiB)' -f @(($busyHuge / $idealHuge), ($runHuge.seconds / $idealHuge), (& $over $runHuge), ($runHuge.peakBytes / $mib)))
            Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: re-run of a finished $Tiny-prompt journal beside its floor (the same pipeline without the module): what the module costs before any prompt's share, least of 5"
            'ZAi ms' = '+{0:0.0} MiB' -f (& $over $rerunTiny); Peer = 'floor'; 'Peer ms' = ('+{0:0.0} MiB, all 5: {1}' -f @((& $over $floorTiny), (& $spread $floorTinyRuns)))
            Ratio = ('module +{0:0.0} MiB over the floor, all 5: {1}' -f @(((& $over $rerunTiny) - (& $over $floorTiny)), (& $spread $rerunTinyRuns))); Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: re-run of the finished $Large-prompt journal, no request, least of 9 ($loadRerunLarge)"; 'ZAi ms' = '+{0:0.0} MiB' -f (& $over $rerunLarge)
            Peer = 'fresh session'; 'Peer ms' = '{0:0} MiB' -f ($fresh.peakBytes / $mib); Ratio = ('{0:0.0} s, {1} sent, all 9: {2}' -f @($rerunLarge.seconds, $sent, (& $spread $rerunLargeRuns)))
            Target = '<= +32 MiB, 0 sent'; Met = (& $over $rerunLarge) -le 32 -and $sent -eq 0
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: re-run of the finished $Huge-prompt journal, no request, least of 9 ($loadRerunHuge)"; 'ZAi ms' = '+{0:0.0} MiB ({1:0} MiB)' -f @((& $over $rerunHuge), ($rerunHuge.peakBytes / $mib))
            Peer = 'fresh session'; 'Peer ms' = '{0:0} MiB' -f ($fresh.peakBytes / $mib); Ratio = ('{0:0.0} s, all 9: {1}' -f @($rerunHuge.seconds, (& $spread $rerunHugeRuns)))
            Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the same re-run in plain PowerShell (ConvertFrom-Json per journal line, Get-Item per file), least of 5"; 'ZAi ms' = ('+{0:0.0} MiB, {1:0.0} s' -f @((& $over $rerunLarge), $rerunLarge.seconds))
            Peer = 'plain PowerShell'; 'Peer ms' = ('+{0:0.0} MiB, {1:0.0} s' -f @((& $over $peerLarge), $peerLarge.seconds))
            Ratio = ('{0:0.00}x memory, {1:0.00}x time' -f @(((& $over $rerunLarge) / [math]::Max((& $over $peerLarge), 1)), ($rerunLarge.seconds / $peerLarge.seconds))); Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the floor: the same pipeline and rows without the module (3 ForEach-Object stages | Export-Csv), least of 5"
            'ZAi ms' = ('+{0:0.0} MiB, {1:0.0} s' -f @((& $over $rerunLarge), $rerunLarge.seconds)); Peer = 'floor'
            'Peer ms' = ('+{0:0.0} MiB, {1:0.0} s, all 5: {2}' -f @((& $over $floorLarge), $floorLarge.seconds, (& $spread $floorLargeRuns)))
            Ratio = ('module +{0:0.0} MiB over the floor' -f ((& $over $rerunLarge) - (& $over $floorLarge))); Target = 'report'; Met = $true
        })
    # The collector's allowance: the garbage any session may hold before a first-generation collection. It follows
    # the CPU's cache, so it moves the re-run rows from one machine to the next whatever the module does.
    $allowance = { param($m) $m.allocatedBytes / [math]::Max($m.gen0Collections, 1) / $mib }
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the collector's first-generation allowance on this machine (what a session allocates between two collections)"
            'ZAi ms' = ('{0:0.0} MiB in {1} collections' -f @(($rerunLarge.allocatedBytes / $mib), $rerunLarge.gen0Collections)); Peer = 'floor'
            'Peer ms' = ('{0:0.0} MiB in {1} collections' -f @(($floorLarge.allocatedBytes / $mib), $floorLarge.gen0Collections))
            Ratio = ('about {0:0.0} MiB a collection (floor {1:0.0})' -f @((& $allowance $rerunLarge), (& $allowance $floorLarge))); Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the same re-run, first GC generation held to 4 MiB (what the session keeps), least of 5"; 'ZAi ms' = '+{0:0.0} MiB' -f ($keptLarge / $mib)
            Peer = 'fresh session, same GC'; 'Peer ms' = '{0:0} MiB' -f ($freshSmall / $mib); Ratio = ''
            Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: re-run growth from $Large to $Huge prompts, per journal byte, least of 9 each ($loadRerunLarge / $loadRerunHuge)"
            'ZAi ms' = '{0:+0.0;-0.0;0.0} MiB' -f ($memoryGrowth / $mib); Peer = 'journal growth'; 'Peer ms' = '{0:0.0} MiB' -f ($journalGrowth / $mib)
            Ratio = '{0:0.00}x' -f $growth; Target = '<= 1x'; Met = $growth -le 1
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the floor's growth from $Large to $Huge prompts (no journal), per journal byte of the re-run, least of 5 each"
            'ZAi ms' = '{0:+0.0;-0.0;0.0} MiB' -f ($memoryGrowth / $mib); Peer = 'floor growth'; 'Peer ms' = '{0:+0.0;-0.0;0.0} MiB' -f (($floorHuge.peakBytes - $floorLarge.peakBytes) / $mib)
            Ratio = '{0:0.00}x journal growth' -f $floorGrowth; Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the same growth, first GC generation held to 4 MiB"
            'ZAi ms' = '{0:+0.0;-0.0;0.0} MiB' -f (($keptHuge - $keptLarge) / $mib); Peer = 'journal growth'; 'Peer ms' = '{0:0.0} MiB' -f ($journalGrowth / $mib)
            Ratio = '{0:0.00}x' -f $keptGrowth; Target = 'report'; Met = $true
        })
    $rows.Add([pscustomobject]@{
            Benchmark = "Memory: the same growth in what the re-run keeps (heap after a full collection at its last file: +$('{0:0.0}' -f ($keptIndexLarge / $mib)) / +$('{0:0.0}' -f ($keptIndexHuge / $mib)) MiB)"
            'ZAi ms' = '{0:+0.00;-0.00;0.00} MiB' -f (($keptIndexHuge - $keptIndexLarge) / $mib); Peer = 'journal growth'; 'Peer ms' = '{0:0.00} MiB' -f ($journalGrowth / $mib)
            Ratio = '{0:0.00}x' -f $indexGrowth; Target = 'report'; Met = $true
        })
    Clear-Bench
    Set-EmulatorConfig $Base @{ concurrencyLimit = 0; submission = @{} }
    $rows
}
