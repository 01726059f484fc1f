# Row 1b: importing the module in a fresh session, against starting that session alone.

function Measure-ImportBench {
    param([string] $ModuleDir)
    $command = @(Get-PwshCommand)
    $exe = $command[0]; $prefix = @($command | Select-Object -Skip 1)
    $manifest = Join-Path $ModuleDir 'ZAi.psd1'
    $times = Measure-Rounds -Rounds 5 -Before {} -Contenders ([ordered]@{
            Import = { & $exe @prefix -NoProfile -NonInteractive -Command "Import-Module '$manifest'" }
            Bare   = { & $exe @prefix -NoProfile -NonInteractive -Command 'exit' }
        })
    $cost = $times.Import - $times.Bare
    [pscustomobject]@{
        Benchmark = 'Import-Module ZAi, fresh session'; 'ZAi ms' = [math]::Round($times.Import); Peer = 'pwsh -NoProfile alone'; 'Peer ms' = [math]::Round($times.Bare)
        Ratio = '+{0:0} ms to import' -f $cost; Target = '< 1000 ms to import'; Met = $cost -lt 1000
    }
}
