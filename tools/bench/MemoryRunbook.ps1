# The child session of Measure-MemoryBench.ps1: imports the module, connects to the loopback emulator and, unless
# -Fresh, runs the README's runbook over a prompts file (or, with -Peer, the re-run a runbook author could write
# without the module's ledger). Prints one line of JSON: the process's peak working set, the runbook's wall time,
# how many files it output, what it allocated in how many first-generation collections, and its working set before
# the run.
param(
    [Parameter(Mandatory)][string] $ModuleDir,
    [Parameter(Mandatory)][string] $Base,
    [Parameter(Mandatory)][string] $ApiKey,
    [string] $Prompts,
    [string] $Journal,
    [string] $Folder,
    [string] $Csv,
    [switch] $Fresh,
    # Start and Wait only: the submission pace, without the downloads.
    [switch] $NoSave,
    # The peer of a re-run of a finished journal, in plain PowerShell: every journal line through ConvertFrom-Json,
    # each prompt's task and saved files looked up, each file checked on disk, the same rows exported.
    [switch] $Peer,
    # The floor under any re-run: the same pipeline's shape and rows with no module and no journal (three
    # ForEach-Object stages where the runbook has Start, Wait and Save), so a re-run's figures can be read against
    # what PowerShell itself takes to move and export those rows.
    [switch] $Floor,
    # What the run or re-run keeps: the heap after a full collection at its last file, against before it started (the
    # pipeline's objects still held), printed as keptBytes. Exact where a peak swings by a MiB from run to run.
    [switch] $Kept,
    # The same runbook without -Journal: the module with no ledger, so a run's figures show the journal's share.
    [switch] $NoJournal
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModuleDir 'ZAi.psd1')
Connect-ZAi -ApiKey (ConvertTo-SecureString $ApiKey -AsPlainText -Force) -BaseUri $Base
# What the session holds before the run: PowerShell starts in one of two modes some 9 MiB of native memory apart,
# decided before the module runs, so a run's own growth is its peak over this.
$startBytes = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
$seconds = 0
$files = 0
$keptBytes = 0
if (-not $Fresh) {
    # -Journal for every runbook of the module, unless -NoJournal.
    $ledger = if ($NoJournal) { @{} } else { @{ Journal = $Journal } }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    if ($Peer) {
        $taskOf = @{}
        $savedOf = @{}
        foreach ($line in [IO.File]::ReadLines($Journal)) {
            $record = ConvertFrom-Json $line
            if ($record.type -eq 'accepted') { $taskOf[$record.prompt] = $record.taskId }
            elseif ($record.type -eq 'saved') {
                if (-not $savedOf.ContainsKey($record.taskId)) { $savedOf[$record.taskId] = [Collections.Generic.List[object]]::new() }
                $savedOf[$record.taskId].Add($record)
            }
        }
        Get-Content $Prompts | ForEach-Object {
            $prompt = $_
            $taskId = $taskOf[$prompt]
            foreach ($saved in $savedOf[$taskId]) {
                $file = Get-Item -LiteralPath $saved.path
                [pscustomobject]@{ TaskId = $taskId; MediaKind = $saved.kind; Name = $file.Name; FullName = $file.FullName; Length = $file.Length; Downloaded = $false; Prompt = $prompt }
            }
        } | Export-Csv $Csv -NoTypeInformation
    }
    elseif ($Floor) {
        $n = 0
        $expires = [datetime]::UtcNow.AddDays(1)
        Get-Content $Prompts |
            ForEach-Object { [pscustomobject]@{ Id = '{0:x32}' -f ++$n; Prompt = $_ } } |
            ForEach-Object { $_ } |
            ForEach-Object {
                foreach ($extension in '.mp4', '.jpg') {
                    $name = $_.Id + $extension
                    [pscustomobject]@{
                        ExpiresAt = $expires; TaskId = $_.Id; MediaKind = $(if ($extension -eq '.mp4') { 'Video' } else { 'Cover' })
                        MediaIndex = 0; Name = $name; Extension = $extension; FullName = [IO.Path]::Combine($Folder, $name); DirectoryName = $Folder
                        Length = 64; Downloaded = $false; Prompt = $_.Prompt; SourceUrl = $null
                    }
                }
            } |
            Export-Csv $Csv -NoTypeInformation
    }
    elseif ($NoSave) {
        Get-Content $Prompts | Start-ZAiVideoGeneration @ledger | Wait-ZAiAsyncResult -TimeoutSec 1800 |
            Select-Object Id, Status | Export-Csv $Csv -NoTypeInformation
    }
    elseif ($Kept) {
        $last = 2 * [Linq.Enumerable]::Count([IO.File]::ReadLines($Prompts))
        $before = [GC]::GetTotalMemory($true)
        $n = 0
        Get-Content $Prompts |
            Start-ZAiVideoGeneration @ledger |
            Wait-ZAiAsyncResult -TimeoutSec 1800 |
            Save-ZAiMedia -Path $Folder |
            ForEach-Object { if (++$n -eq $last) { $keptBytes = [GC]::GetTotalMemory($true) - $before }; $_ } |
            Export-Csv $Csv -NoTypeInformation
    }
    else {
        Get-Content $Prompts |
            Start-ZAiVideoGeneration @ledger |
            Wait-ZAiAsyncResult -TimeoutSec 1800 |
            Save-ZAiMedia -Path $Folder |
            Export-Csv $Csv -NoTypeInformation
    }
    $seconds = $watch.Elapsed.TotalSeconds
    # Counted line by line: reading the CSV whole would raise the peak being measured.
    $files = [Linq.Enumerable]::Count([IO.File]::ReadLines($Csv)) - 1
}
$self = [Diagnostics.Process]::GetCurrentProcess()
$self.Refresh()
# What the session allocated and how many first-generation collections that took: their ratio is the collector's
# allowance on this machine (it follows the CPU's cache), garbage a peak carries whatever the module does.
[pscustomobject]@{
    peakBytes = $self.PeakWorkingSet64; startBytes = $startBytes; seconds = $seconds; files = $files; keptBytes = $keptBytes
    allocatedBytes = [GC]::GetTotalAllocatedBytes($false); gen0Collections = [GC]::CollectionCount(0)
} | ConvertTo-Json -Compress
