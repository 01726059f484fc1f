BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $script:Key = Get-TestApiKey
    $script:SecureKey = ConvertTo-SecureString $script:Key -AsPlainText -Force
}

AfterAll {
    Disconnect-ZAi
}

Describe 'Connect-ZAi' {
    BeforeEach {
        Disconnect-ZAi
        $env:ZAI_API_KEY = $null
        $env:ZAI_BASE_URL = $null
    }

    It 'connects with -ApiKey and -BaseUri and -PassThru returns the masked context' {
        $context = Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl) -PassThru
        $context.PSObject.TypeNames[0] | Should -Be 'ZAi.ZAiContext'
        $context.BaseUri | Should -Be ((Get-TestEmulatorUrl) + '/')
        $context.ApiKey | Should -Be ('****' + $Key.Substring($Key.Length - 4))
        $context.ApiKeySource | Should -Be 'Connect-ZAi'
        $context.Connected | Should -BeTrue
    }

    It 'writes nothing without -PassThru' {
        $output = Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl)
        $output | Should -BeNullOrEmpty
    }

    It 'selects the <Region> base URL with -Region' -TestCases @(
        @{ Region = 'International'; Expected = 'https://api.z.ai/api/' }
        @{ Region = 'China'; Expected = 'https://open.bigmodel.cn/api/' }
    ) {
        (Connect-ZAi -ApiKey $SecureKey -Region $Region -PassThru).BaseUri | Should -Be $Expected
    }

    It 'accepts the SDK form of the base URL that ends in /paas/v4' {
        (Connect-ZAi -ApiKey $SecureKey -BaseUri 'https://open.bigmodel.cn/api/paas/v4' -PassThru).BaseUri | Should -Be 'https://open.bigmodel.cn/api/'
    }

    It 'keeps -Language, timeouts and -MaxRetries in the context' {
        Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl) -Language 'zh-CN' -ConnectTimeoutSec 3 -RequestTimeoutSec 7 -MaxRetries 1
        $context = Get-ZAiContext
        $context.Language | Should -Be 'zh-CN'
        $context.ConnectTimeoutSec | Should -Be 3
        $context.RequestTimeoutSec | Should -Be 7
        $context.MaxRetries | Should -Be 1
    }

    It 'sends the -Language value as Accept-Language, keeps it over later Connect-ZAi calls, and en-US,en after Disconnect-ZAi' {
        $id = New-TestId 'lang'
        New-EmulatorTask @{ id = $id } | Out-Null
        Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl) -Language 'zh-CN,zh'
        Get-ZAiAsyncResult $id | Out-Null
        Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl)
        Get-ZAiAsyncResult $id | Out-Null
        Disconnect-ZAi
        Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl)
        Get-ZAiAsyncResult $id | Out-Null
        $requests = Get-EmulatorRequest -TaskId $id
        $requests.Count | Should -Be 3
        $requests[0].headers.'Accept-Language' | Should -Be 'zh-CN,zh'
        $requests[1].headers.'Accept-Language' | Should -Be 'zh-CN,zh'
        $requests[2].headers.'Accept-Language' | Should -Be 'en-US,en'
    }

    It 'keeps the base URI and key of an earlier Connect-ZAi when only -MaxRetries is given' {
        Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl)
        $context = Connect-ZAi -MaxRetries 6 -PassThru
        $context.BaseUri | Should -Be ((Get-TestEmulatorUrl) + '/')
        $context.BaseUriSource | Should -Be 'Connect-ZAi'
        $context.ApiKeySource | Should -Be 'Connect-ZAi'
        $context.MaxRetries | Should -Be 6
        (Connect-ZAi -Region China -PassThru).MaxRetries | Should -Be 6
        (Get-ZAiContext).BaseUri | Should -Be 'https://open.bigmodel.cn/api/'
    }

    It 'rejects plain http to a host that is not loopback, naming https' {
        { Connect-ZAi -ApiKey $SecureKey -BaseUri 'http://api.z.ai/api' } |
            Should -Throw -ErrorId 'ZAiInvalidConfiguration,ZAi.PowerShell.Commands.ConnectZAiCommand' -ExpectedMessage '*https*'
    }

    It 'rejects a -Language that would add a header of its own, and sends nothing' {
        { Connect-ZAi -ApiKey $SecureKey -BaseUri (Get-TestEmulatorUrl) -Language "en`r`nX-Injected: 1" } |
            Should -Throw -ErrorId 'ZAiInvalidConfiguration,ZAi.PowerShell.Commands.ConnectZAiCommand' -ExpectedMessage '*-Language*control character U+000D*'
        @(Get-EmulatorRequest | Where-Object { $_.headers.PSObject.Properties.Name -contains 'X-Injected' }).Count | Should -Be 0
    }

    It 'rejects a non-ASCII API key without showing it' {
        $err = { Connect-ZAi -ApiKey (ConvertTo-SecureString "sk-$([char]0x2013)secret1234" -AsPlainText -Force) -BaseUri (Get-TestEmulatorUrl) } |
            Should -Throw -ErrorId 'ZAiInvalidConfiguration,*' -ExpectedMessage '*non-ASCII character at position 4*' -PassThru
        $err.Exception.Message | Should -Not -BeLike '*secret1234*'
    }

    It 'rejects a base URI that is not absolute' {
        { Connect-ZAi -ApiKey $SecureKey -BaseUri 'api.z.ai/api' } | Should -Throw -ErrorId 'ZAiInvalidConfiguration*' -ExpectedMessage '*-BaseUri*'
    }

    It 'fails with a message naming -ApiKey and ZAI_API_KEY when no key is set anywhere' {
        $err = { Connect-ZAi -BaseUri (Get-TestEmulatorUrl) } | Should -Throw -ErrorId 'ZAiApiKeyMissing*' -PassThru
        $err.Exception.Message | Should -BeLike '*Connect-ZAi -ApiKey*'
        $err.Exception.Message | Should -BeLike '*ZAI_API_KEY*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'uses ZAI_API_KEY when -ApiKey is omitted' {
        $env:ZAI_API_KEY = $Key
        (Connect-ZAi -BaseUri (Get-TestEmulatorUrl) -PassThru).ApiKeySource | Should -Be 'ZAI_API_KEY'
    }

    It 'has one parameter set per way to choose the endpoint' {
        $sets = (Get-Command Connect-ZAi).ParameterSets.Name
        $sets | Should -Contain 'Region'
        $sets | Should -Contain 'BaseUri'
        { Connect-ZAi -ApiKey $SecureKey -Region China -BaseUri 'https://x.example/api' } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
    }
}

Describe 'Get-ZAiContext and Disconnect-ZAi' {
    BeforeEach {
        Disconnect-ZAi
        $env:ZAI_API_KEY = $null
        $env:ZAI_BASE_URL = $null
    }
    AfterEach {
        $env:ZAI_API_KEY = $null
        $env:ZAI_BASE_URL = $null
    }

    It 'shows the defaults and no key when nothing is configured' {
        $context = Get-ZAiContext
        $context.BaseUri | Should -Be 'https://api.z.ai/api/'
        $context.BaseUriSource | Should -Be 'Default'
        $context.ApiKey | Should -BeNullOrEmpty
        $context.ApiKeySource | Should -Be 'None'
        $context.Connected | Should -BeFalse
    }

    It 'reads ZAI_API_KEY and ZAI_BASE_URL when not connected' {
        $env:ZAI_API_KEY = $Key
        $env:ZAI_BASE_URL = Get-TestEmulatorUrl
        $context = Get-ZAiContext
        $context.ApiKeySource | Should -Be 'ZAI_API_KEY'
        $context.BaseUriSource | Should -Be 'ZAI_BASE_URL'
        $id = New-TestId 'env'
        New-EmulatorTask @{ id = $id } | Out-Null
        (Get-ZAiAsyncResult $id).Status | Should -Be 'Success'
    }

    It 'reports an invalid ZAI_BASE_URL by name' {
        $env:ZAI_BASE_URL = 'ftp://example.invalid'
        { Get-ZAiContext } | Should -Throw -ErrorId 'ZAiInvalidConfiguration*' -ExpectedMessage '*ZAI_BASE_URL*'
    }

    It 'Disconnect-ZAi forgets the connection' {
        Connect-TestEmulator
        (Get-ZAiContext).Connected | Should -BeTrue
        Disconnect-ZAi
        $context = Get-ZAiContext
        $context.Connected | Should -BeFalse
        $context.ApiKeySource | Should -Be 'None'
    }

    It 'never shows the key: not in the object, its text, its formatting or its serialized form' {
        Connect-TestEmulator
        $context = Get-ZAiContext
        $text = @(
            $context.ToString()
            ($context | Format-List * | Out-String)
            ($context | Format-Table * | Out-String)
            ($context | ConvertTo-Json)
            [Management.Automation.PSSerializer]::Serialize($context)
            (Connect-TestEmulator -Extra @{ PassThru = $true; Verbose = $true } 4>&1 | Out-String)
        ) -join "`n"
        $text | Should -Not -BeLike "*$Key*"
        $text | Should -BeLike "*$($Key.Substring($Key.Length - 4))*"
    }
}

Describe 'The connection is process-wide' {
    BeforeAll {
        Disconnect-ZAi
        $env:ZAI_API_KEY = $null
        Connect-TestEmulator
        $script:Ids = 1..4 | ForEach-Object { New-TestId 'parallel' }
        New-EmulatorTask ($Ids | ForEach-Object { @{ id = $_ } }) | Out-Null
    }

    It 'is used by ForEach-Object -Parallel without connecting again' {
        $module = $env:ZAI_TEST_MODULE
        $results = $Ids | ForEach-Object -Parallel { Import-Module $using:module; Get-ZAiAsyncResult $_ } -ThrottleLimit 4
        $results.Count | Should -Be 4
        ($results.Status | Sort-Object -Unique) | Should -Be 'Success'
    }

    It 'is used by Start-ThreadJob without connecting again' {
        $module = $env:ZAI_TEST_MODULE
        $job = Start-ThreadJob { Import-Module $using:module; Get-ZAiAsyncResult $using:Ids }
        $results = $job | Receive-Job -Wait -AutoRemoveJob
        @($results).Count | Should -Be 4
    }

    It 'keeps a -Scope Runspace connection to its own runspace, ahead of the process connection' {
        $module = $env:ZAI_TEST_MODULE
        $job = Start-ThreadJob {
            Import-Module $using:module
            Connect-ZAi -ApiKey (ConvertTo-SecureString 'sk-other-tenant-0000' -AsPlainText -Force) -BaseUri 'http://127.0.0.1:9/api' -Scope Runspace
            (Get-ZAiContext).BaseUri
            Disconnect-ZAi
            (Get-ZAiContext).BaseUri
        }
        $seen = @($job | Receive-Job -Wait -AutoRemoveJob)
        $processUri = (Get-ZAiContext).BaseUri
        $processUri | Should -BeLike "$(Get-TestEmulatorUrl)*"
        $seen[0] | Should -BeLike 'http://127.0.0.1:9/api*'
        # Disconnect-ZAi in that runspace forgot only its own connection: the process one applies again.
        $seen[1] | Should -Be $processUri
        (Get-ZAiAsyncResult $Ids[0]).Status | Should -Be 'Success'
    }
}
