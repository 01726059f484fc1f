# Timing helpers of the benchmarks: medians, and interleaved rounds so no contender always runs first.

function Get-Median {
    param([double[]] $Values)
    $sorted = @($Values | Sort-Object)
    $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}

function Measure-Median {
    param([scriptblock] $Action, [int] $Runs = 3)
    $times = foreach ($i in 1..$Runs) { (Measure-Command $Action).TotalMilliseconds }
    Get-Median $times
}

function Measure-Rounds {
    <# Times each contender once per round and returns the median milliseconds of each. The order rotates
       from round to round, so no contender always runs first (cold) or right after another's I/O. #>
    param([int] $Rounds, [scriptblock] $Before, [System.Collections.Specialized.OrderedDictionary] $Contenders)
    $samples = @{}
    $names = @($Contenders.Keys)
    foreach ($name in $names) { $samples[$name] = [Collections.Generic.List[double]]::new() }
    foreach ($round in 1..$Rounds) {
        $shift = $round % $names.Count
        foreach ($name in @($names[$shift..($names.Count - 1)]) + @(if ($shift -gt 0) { $names[0..($shift - 1)] })) {
            & $Before
            $samples[$name].Add((Measure-Command $Contenders[$name]).TotalMilliseconds)
        }
    }
    $medians = @{}
    foreach ($name in $Contenders.Keys) { $medians[$name] = Get-Median $samples[$name].ToArray() }
    $medians
}
