# Proxies through the user's path: a child PowerShell (which trusts the test CA through SSL_CERT_FILE) connects
# with -Proxy (or HTTPS_PROXY) to an emulator serving https, through tinyproxy on loopback, and the proxy's own
# log shows which tunnels it opened. Without tinyproxy these tests fail under CI and are skipped elsewhere.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'ZAi.ProxyHelpers.psm1') -Force
    $script:SkipProxy = -not (Assert-TinyproxyInstalled) -and $env:CI -ne 'true'
}

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.ProxyHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('zai-proxy-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory $Work | Out-Null
    $script:ProxyPassword = 'pw-' + [guid]::NewGuid().ToString('n')

    function Invoke-ProxyChild {
        <# Runs $Script in a fresh pwsh that trusts the test CA, with the module imported, no proxy variable but those in
           -Environment; returns all it printed (verbose, debug and errors included). #>
        param([Parameter(Mandatory)][string] $Script, [hashtable] $Environment = @{})
        $variables = @{ SSL_CERT_FILE = $Ca.CaFile; ZAI_API_KEY = $null; ZAI_BASE_URL = $null }
        foreach ($name in 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy') { $variables[$name] = $null }
        foreach ($name in $Environment.Keys) { $variables[$name] = $Environment[$name] }
        Invoke-TestPwsh -Environment $variables -Command "`$ErrorActionPreference = 'Stop'; Import-Module '$env:ZAI_TEST_MODULE'; $Script"
    }

    function Get-ChildResult {
        <# The objects a child printed as 'RESULT:<json>' lines. #>
        param([string] $Output)
        @($Output -split "`r?`n" | Where-Object { $_ -like 'RESULT:*' } | ForEach-Object { $_.Substring(7) | ConvertFrom-Json })
    }

    function New-HttpsTask {
        param([Parameter(Mandatory)][hashtable] $Spec)
        $body = ConvertTo-Json -InputObject @($Spec) -Depth 10
        Invoke-RestMethod -SkipCertificateCheck -NoProxy -Method Post -Uri "$HttpsRoot/_emulator/tasks" -ContentType 'application/json' -Body $body | Out-Null
    }

    function Set-HttpsEmulator {
        param([Parameter(Mandatory)][hashtable] $Config)
        Invoke-RestMethod -SkipCertificateCheck -NoProxy -Method Post -Uri "$HttpsRoot/_emulator/config" -ContentType 'application/json' -Body (ConvertTo-Json $Config -Depth 10) | Out-Null
    }

    function Get-HttpsMediaRange {
        param([Parameter(Mandatory)][string] $Id)
        @(Invoke-RestMethod -SkipCertificateCheck -NoProxy -Uri "$HttpsRoot/_emulator/requests?taskId=$Id&pathContains=/media/" | ForEach-Object { $_ } | ForEach-Object {
                if ($_.headers.PSObject.Properties['Range']) { $_.headers.Range } else { '(whole file)' }
            })
    }

    function Get-NewProxyRequest {
        <# The proxy's requests after the first $Skip. #>
        param([Parameter(Mandatory)] $Proxy, [int] $Skip)
        @(Get-TestProxyRequest $Proxy | Select-Object -Skip $Skip)
    }
}

AfterAll {
    Disconnect-ZAi
    Stop-TestProxy $script:Open
    Stop-TestProxy $script:Locked
    Stop-Emulator $script:Https
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Connect-ZAi -Proxy through a real proxy (tinyproxy, https in CONNECT tunnels)' -Skip:$SkipProxy {
    BeforeAll {
        $script:Ca = New-TestCertificateAuthority -Directory (Join-Path $Work 'ca')
        $script:Https = Start-Emulator -Certificate $Ca.ServerPfx
        $script:HttpsUrl = $Https.Url
        $script:HttpsRoot = $HttpsUrl -replace '/api$', ''
        $script:HttpsPort = ([uri]$HttpsUrl).Port
        $script:Open = Start-TestProxy -Directory (Join-Path $Work 'open')
        $script:Locked = Start-TestProxy -Directory (Join-Path $Work 'locked') -User 'zai' -Password $ProxyPassword
        $script:DownProxy = "http://127.0.0.1:$(Get-FreeLoopbackPort)"   # nothing listens there
        $script:ConnectLine = "Connect-ZAi -ApiKey (ConvertTo-SecureString '$(Get-TestApiKey)' -AsPlainText -Force) -BaseUri '$HttpsUrl'"
        $script:Credential = "([pscredential]::new('zai', (ConvertTo-SecureString '$ProxyPassword' -AsPlainText -Force)))"
        Set-HttpsEmulator @{ submission = @{ processingMs = 0; mediaSize = 8MB } }
    }

    It 'Start, Wait and Save go through -Proxy: the API and every range of a split download in tunnels of the proxy' {
        Set-HttpsEmulator @{ media = @{ bytesPerSecond = 2MB; ranges = $true; latencyMs = 0 } }   # one connection would take 4 s: worth splitting after the first 0.5 s
        $seen = @(Get-TestProxyRequest $Open).Count
        $folder = Join-Path $Work 'through'
        try {
            $output = Invoke-ProxyChild "$ConnectLine -Proxy '$($Open.Url)' -ConnectionsPerFile 4 -SplitThreshold 2MB
                `$file = Start-ZAiVideoGeneration -Prompt 'a lighthouse through the proxy' | Wait-ZAiAsyncResult | Save-ZAiMedia -Path '$folder' -Kind Video -Verbose
                'RESULT:' + (@{ TaskId = `$file.TaskId; Length = `$file.Length; Url = `$file.SourceUrl } | ConvertTo-Json -Compress)"
        }
        finally { Set-HttpsEmulator @{ media = @{ bytesPerSecond = 0 } } }

        $result = Get-ChildResult $output
        $result.Count | Should -Be 1 -Because $output
        $result[0].Length | Should -Be 8MB
        $clean = Join-Path $Work 'clean.mp4'
        Invoke-WebRequest -SkipCertificateCheck -NoProxy -Uri $result[0].Url -OutFile $clean
        (Get-FileHash (Join-Path $folder "$($result[0].TaskId).mp4")).Hash | Should -Be (Get-FileHash $clean).Hash
        @(Get-HttpsMediaRange $result[0].TaskId | Where-Object { $_ -like 'bytes=*' }).Count | Should -BeGreaterOrEqual 2 -Because "the download was split into ranges: $output"
        $tunnels = Get-NewProxyRequest $Open -Skip $seen
        $tunnels | Should -Contain "CONNECT 127.0.0.1:$HttpsPort" -Because 'the API calls went through the proxy'
        @($tunnels | Where-Object { $_ -eq "CONNECT localhost:$HttpsPort" }).Count | Should -BeGreaterOrEqual 2 -Because 'the first request and the extra range connections each opened a tunnel'
        @($tunnels | Where-Object { $_ -notlike 'CONNECT *' }) | Should -BeNullOrEmpty -Because 'https only ever goes through the proxy in a tunnel'
    }

    It 'a proxy that asks for credentials (407) gives ZAiProxyAuthenticationRequired naming the proxy, for the API and for media' {
        New-HttpsTask @{ id = 'locked-media'; kind = 'video'; mediaSize = 64KB }
        $output = Invoke-ProxyChild "$ConnectLine -Proxy '$($Locked.Url)' -MaxRetries 0
            try { Get-ZAiAsyncResult locked-media } catch { 'RESULT:' + (@{ Id = `$_.FullyQualifiedErrorId; Message = `$_.ToString(); Action = `$_.ErrorDetails.RecommendedAction } | ConvertTo-Json -Compress) }
            Connect-ZAi -Proxy '$($Locked.Url)' -NoProxy 127.0.0.1
            Get-ZAiAsyncResult locked-media | Save-ZAiMedia -Path '$(Join-Path $Work 'locked')' -ErrorAction SilentlyContinue -ErrorVariable failed
            'RESULT:' + (@(`$failed | ForEach-Object { @{ Id = `$_.FullyQualifiedErrorId; Message = `$_.ToString(); Action = `$_.ErrorDetails.RecommendedAction } }) | ConvertTo-Json -Compress -AsArray)"

        $results = Get-ChildResult $output
        $results.Count | Should -Be 3 -Because $output
        $api = $results[0]
        $api.Id | Should -BeLike 'ZAiProxyAuthenticationRequired,*'
        $api.Message | Should -Be "Task 'locked-media': the proxy $($Locked.Url) (set by Connect-ZAi -Proxy) asked for credentials (HTTP 407 Proxy Authentication Required) and none were given; 127.0.0.1:$HttpsPort was not reached."
        $api.Action | Should -BeLike '*-ProxyCredential*'
        $media = @($results[1], $results[2])   # the video and its cover each met the 407
        $media | ForEach-Object { $_.Id | Should -BeLike 'ZAiProxyAuthenticationRequired,*' }
        $media[0].Message | Should -BeLike "Downloading the * of task 'locked-media': the proxy $($Locked.Url) (set by Connect-ZAi -Proxy) asked for credentials (HTTP 407*localhost:$HttpsPort was not reached."
        $media[0].Action | Should -BeLike '*-ProxyCredential*'
    }

    It '-ProxyCredential passes the proxy''s Basic authentication; a wrong one is named as refused; the password shows in no output' {
        $seen = @(Get-TestProxyRequest $Locked).Count
        New-HttpsTask @{ id = 'locked-ok'; kind = 'video'; mediaSize = 64KB }
        $wrong = "([pscredential]::new('zai', (ConvertTo-SecureString 'not-$ProxyPassword' -AsPlainText -Force)))"
        $output = Invoke-ProxyChild "`$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'
            $ConnectLine -Proxy '$($Locked.Url)' -ProxyCredential $Credential -MaxRetries 0 -PassThru | Format-List * | Out-String
            `$files = Get-ZAiAsyncResult locked-ok | Save-ZAiMedia -Path '$(Join-Path $Work 'locked-ok')'
            Get-ZAiContext | ConvertTo-Json
            Get-ZAiContext | Export-Clixml '$(Join-Path $Work 'context.xml')'
            'RESULT:' + (@{ Saved = @(`$files).Count } | ConvertTo-Json -Compress)
            Connect-ZAi -Proxy '$($Locked.Url)' -ProxyCredential $wrong
            try { Get-ZAiAsyncResult locked-ok } catch { 'RESULT:' + (@{ Id = `$_.FullyQualifiedErrorId; Message = `$_.ToString() } | ConvertTo-Json -Compress); `$_ | Format-List * -Force | Out-String; `$_.Exception | Format-List * -Force | Out-String }"

        $results = Get-ChildResult $output
        $results.Count | Should -Be 2 -Because $output
        $results[0].Saved | Should -Be 2
        $results[1].Id | Should -BeLike 'ZAiProxyAuthenticationRequired,*'
        $results[1].Message | Should -BeLike "*the proxy $($Locked.Url) (set by Connect-ZAi -Proxy) refused the credentials it was given (HTTP 40?*"
        $output | Should -Match 'ProxyUser\s*:\s*zai'
        $output | Should -Not -BeLike "*$ProxyPassword*"
        Get-Content -Raw (Join-Path $Work 'context.xml') | Should -Not -BeLike "*$ProxyPassword*"
        Get-NewProxyRequest $Locked -Skip $seen | Should -Contain "CONNECT localhost:$HttpsPort"
    }

    It 'a proxy that is down gives ZAiProxyConnectionFailed naming the proxy, not the API or media host' {
        New-HttpsTask @{ id = 'down-media'; kind = 'video'; mediaSize = 64KB }
        $output = Invoke-ProxyChild "$ConnectLine -Proxy '$DownProxy' -MaxRetries 0
            try { Get-ZAiAsyncResult down-media } catch { 'RESULT:' + (@{ Id = `$_.FullyQualifiedErrorId; Message = `$_.ToString(); Action = `$_.ErrorDetails.RecommendedAction } | ConvertTo-Json -Compress) }
            Connect-ZAi -NoProxy 127.0.0.1
            Get-ZAiAsyncResult down-media | Save-ZAiMedia -Path '$(Join-Path $Work 'down')' -Kind Video -ErrorAction SilentlyContinue -ErrorVariable failed
            'RESULT:' + (@{ Id = `$failed[0].FullyQualifiedErrorId; Message = `$failed[0].ToString() } | ConvertTo-Json -Compress)"

        $results = Get-ChildResult $output
        $results.Count | Should -Be 2 -Because $output
        $results[0].Id | Should -BeLike 'ZAiProxyConnectionFailed,*'
        $results[0].Message | Should -BeLike "Task 'down-media': the connection to the proxy $DownProxy (set by Connect-ZAi -Proxy) failed: *; 127.0.0.1:$HttpsPort was not reached."
        $results[0].Action | Should -BeLike '*Get-ZAiContext*'
        $results[1].Id | Should -BeLike 'ZAiProxyConnectionFailed,*'
        $results[1].Message | Should -BeLike "Downloading the video 0 of task 'down-media': the connection to the proxy $DownProxy (set by Connect-ZAi -Proxy) failed: *; localhost:$HttpsPort was not reached. Gave up after 1 attempts."
    }

    It '-NoProxy sends the hosts it lists direct while the others go through the proxy' {
        New-HttpsTask @{ id = 'bypass-media'; kind = 'video'; mediaSize = 64KB }
        $seen = @(Get-TestProxyRequest $Open).Count
        $output = Invoke-ProxyChild "$ConnectLine -Proxy '$($Open.Url)' -NoProxy 'localhost'
            `$files = Get-ZAiAsyncResult bypass-media | Save-ZAiMedia -Path '$(Join-Path $Work 'bypass')'
            'RESULT:' + (@{ Saved = @(`$files).Count; NoProxy = (Get-ZAiContext).NoProxy } | ConvertTo-Json -Compress)"

        $result = Get-ChildResult $output
        $result.Count | Should -Be 1 -Because $output
        $result[0].Saved | Should -Be 2
        $result[0].NoProxy | Should -Be 'localhost'
        $tunnels = Get-NewProxyRequest $Open -Skip $seen
        $tunnels | Should -Be @("CONNECT 127.0.0.1:$HttpsPort") -Because 'only the API went through the proxy; the media host is bypassed'
    }

    It 'HTTPS_PROXY with a user and password, and NO_PROXY, apply from the environment and show in Get-ZAiContext without the password' {
        New-HttpsTask @{ id = 'env-media'; kind = 'video'; mediaSize = 64KB }
        $seen = @(Get-TestProxyRequest $Locked).Count
        $withUser = $Locked.Url -replace '^http://', "http://zai:$([uri]::EscapeDataString($ProxyPassword))@"
        $output = Invoke-ProxyChild -Environment @{ HTTPS_PROXY = $withUser; NO_PROXY = 'localhost,.corp.example' } "$ConnectLine
            `$files = Get-ZAiAsyncResult env-media | Save-ZAiMedia -Path '$(Join-Path $Work 'env')'
            Get-ZAiContext | Format-List * | Out-String
            `$context = Get-ZAiContext
            'RESULT:' + (@{ Saved = @(`$files).Count; Proxy = `$context.Proxy; Source = `$context.ProxySource; User = `$context.ProxyUser; NoProxy = `$context.NoProxy } | ConvertTo-Json -Compress)"

        $result = Get-ChildResult $output
        $result.Count | Should -Be 1 -Because $output
        $result[0].Saved | Should -Be 2
        $result[0].Proxy | Should -Be $Locked.Url
        $result[0].Source | Should -Be 'HTTPS_PROXY'
        $result[0].User | Should -Be 'zai'
        $result[0].NoProxy | Should -Be 'localhost, corp.example'
        $output | Should -Not -BeLike "*$ProxyPassword*"
        $tunnels = Get-NewProxyRequest $Locked -Skip $seen
        $tunnels | Should -Contain "CONNECT 127.0.0.1:$HttpsPort" -Because 'the API went through the proxy'
        $tunnels | Should -Not -Contain "CONNECT localhost:$HttpsPort" -Because 'NO_PROXY lists the media host'
    }

    It 'plain http to a loopback API never goes through the proxy, so the key never reaches it in clear' {
        $id = New-TestId 'plain'
        New-EmulatorTask @{ id = $id; kind = 'video' } | Out-Null
        $seen = @(Get-TestProxyRequest $Open).Count
        $output = Invoke-ProxyChild "Connect-ZAi -ApiKey (ConvertTo-SecureString '$(Get-TestApiKey)' -AsPlainText -Force) -BaseUri '$(Get-TestEmulatorUrl)' -Proxy '$($Open.Url)'
            'RESULT:' + (@{ Status = (Get-ZAiAsyncResult $id).Status.ToString(); Proxy = (Get-ZAiContext).Proxy } | ConvertTo-Json -Compress)" -Environment @{ HTTP_PROXY = $Open.Url }

        $result = Get-ChildResult $output
        $result.Count | Should -Be 1 -Because $output
        $result[0].Status | Should -Be 'Success'
        $result[0].Proxy | Should -BeNullOrEmpty
        Get-NewProxyRequest $Open -Skip $seen | Should -BeNullOrEmpty
    }
}

Describe 'Connect-ZAi proxy parameters' {
    BeforeEach { Disconnect-ZAi }

    It 'refuses <Case> with ZAiInvalidConfiguration and a message naming it' -TestCases @(
        @{ Case = 'an address without http://'; Parameters = @{ Proxy = 'proxy.corp:3128' }; Expected = "-Proxy 'proxy.corp:3128' is not a proxy address: write it as http://host:port*" }
        @{ Case = 'an https:// proxy'; Parameters = @{ Proxy = 'https://proxy.corp:3128' }; Expected = "*is an https:// proxy address*write http://proxy.corp:3128." }
        @{ Case = 'a password in the address'; Parameters = @{ Proxy = 'http://zai:hunter2@proxy.corp:3128' }; Expected = '-Proxy must not hold a user name or password: give them with -ProxyCredential*http://proxy.corp:3128.' }
        @{ Case = '-ProxyCredential without -Proxy'; Parameters = @{ ProxyCredential = [pscredential]::new('zai', (ConvertTo-SecureString 'hunter2' -AsPlainText -Force)) }; Expected = '-ProxyCredential needs -Proxy*' }
        @{ Case = 'both kinds of credentials'; Parameters = @{ Proxy = 'http://proxy.corp:3128'; ProxyUseDefaultCredentials = $true; ProxyCredential = [pscredential]::new('zai', (ConvertTo-SecureString 'hunter2' -AsPlainText -Force)) }; Expected = '-ProxyCredential and -ProxyUseDefaultCredentials cannot be used together*' }
        @{ Case = 'a wildcard inside a host pattern'; Parameters = @{ NoProxy = 'corp.example', 'web*.corp' }; Expected = "-NoProxy: 'web*.corp' is not a host pattern*" }
        @{ Case = '-NoProxy * with -Proxy'; Parameters = @{ Proxy = 'http://proxy.corp:3128'; NoProxy = '*' }; Expected = "-NoProxy '*' bypasses the proxy for every host, so -Proxy http://proxy.corp:3128 would never be used*" }
    ) {
        $key = ConvertTo-SecureString (Get-TestApiKey) -AsPlainText -Force
        $failure = { Connect-ZAi -ApiKey $key -BaseUri (Get-TestEmulatorUrl) @Parameters } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidConfiguration,*'
        $failure.Exception.Message | Should -BeLike $Expected
        $failure.Exception.Message | Should -Not -BeLike '*hunter2*'
        (Get-ZAiContext).Connected | Should -BeFalse
    }

    It 'keeps the proxy over a later Connect-ZAi, and a new -Proxy starts without the previous one''s credential and bypass list' {
        $key = ConvertTo-SecureString (Get-TestApiKey) -AsPlainText -Force
        $credential = [pscredential]::new('zai', (ConvertTo-SecureString 'hunter2' -AsPlainText -Force))
        Connect-ZAi -ApiKey $key -Region International -Proxy 'http://proxy.corp:3128' -ProxyCredential $credential -NoProxy '*.corp.example', '10.0.0.0/8'
        $kept = Connect-ZAi -MaxRetries 5 -PassThru
        $kept.Proxy | Should -Be 'http://proxy.corp:3128'
        $kept.ProxySource | Should -Be 'Connect-ZAi'
        $kept.ProxyUser | Should -Be 'zai'
        $kept.NoProxy | Should -Be 'corp.example, 10.0.0.0/8'
        ($kept | Format-List * | Out-String) + ($kept | ConvertTo-Json) + ($kept | ConvertTo-Csv | Out-String) | Should -Not -BeLike '*hunter2*'

        $other = Connect-ZAi -Proxy 'http://other.corp:8080' -PassThru
        $other.Proxy | Should -Be 'http://other.corp:8080'
        $other.ProxyUser | Should -BeNullOrEmpty
        $other.NoProxy | Should -BeNullOrEmpty

        $direct = Connect-ZAi -NoProxy '*' -PassThru
        $direct.Proxy | Should -BeNullOrEmpty
        $direct.NoProxy | Should -Be '*'
    }
}
