# Row 1: 1000 results in one pipeline, against an Invoke-RestMethod loop and curl on one connection.

function Measure-GetBench {
    param([string] $Base, [string] $ApiKey, [string] $WorkDir)
    $ids = 1..1000 | ForEach-Object { 'bench-get-{0:d4}' -f $_ }
    New-EmulatorTasks $Base @($ids | ForEach-Object { @{ id = $_; kind = 'video' } })
    $headers = @{ Authorization = "Bearer $ApiKey" }
    $curlConfig = Join-Path $WorkDir 'bench-curl.cfg'
    $lines = @("header = `"Authorization: Bearer $ApiKey`"", 'silent', 'fail')
    $lines += foreach ($id in $ids) { "url = `"$Base/paas/v4/async-result/$id`""; 'output = "/dev/null"' }
    Set-Content -Path $curlConfig -Value $lines

    $ids[0..20] | Get-ZAiAsyncResult | Out-Null   # warm up JIT and the connection pool
    Invoke-RestMethod -Uri "$Base/paas/v4/async-result/$($ids[0])" -Headers $headers | Out-Null
    $zai = Measure-Median { $ids | Get-ZAiAsyncResult | Out-Null }
    $irm = Measure-Median { foreach ($id in $ids) { Invoke-RestMethod -Uri "$Base/paas/v4/async-result/$id" -Headers $headers | Out-Null } }
    $curl = Measure-Median { & curl -K $curlConfig; if ($LASTEXITCODE -ne 0) { throw "curl failed: $LASTEXITCODE" } }
    [pscustomobject]@{
        Benchmark = '1000 x Get-ZAiAsyncResult'
        'ZAi ms'  = [math]::Round($zai)
        Peer      = 'Invoke-RestMethod loop'
        'Peer ms' = [math]::Round($irm)
        Ratio     = '{0:0.0}x faster' -f ($irm / $zai)
        Target    = '>= 5x faster'
        Met       = ($irm / $zai) -ge 5
    }
    [pscustomobject]@{
        Benchmark = '1000 x Get-ZAiAsyncResult'
        'ZAi ms'  = [math]::Round($zai)
        Peer      = 'curl, one connection'
        'Peer ms' = [math]::Round($curl)
        Ratio     = '{0:0.00}x curl time' -f ($zai / $curl)
        Target    = '<= 2x curl time'
        Met       = ($zai / $curl) -le 2
    }
}
