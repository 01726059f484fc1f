# What a Gallery user does: install the package, from a repository, into a fresh HOME, then import it in a
# fresh session. Both PSResourceGet and PowerShellGet are exercised. The package is made here from the built
# module by New-ZAiPackage, the function build.ps1 Package runs, so only these tests pay for packaging.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../tools/ZAi.Build.psm1') -Force
    # The folder Publish-PSResource wrote the package into is a local repository to install from.
    $script:Repo = Join-Path $TestDrive 'repo'
    $script:Package = New-ZAiPackage -ModuleDir (Split-Path $env:ZAI_TEST_MODULE -Parent) -OutputDir $Repo
    $script:Version = (Import-PowerShellDataFile $env:ZAI_TEST_MODULE).ModuleVersion
}

Describe 'The package' {
    It 'is the nupkg build.ps1 Package makes, named for the module version' {
        Split-Path $Package -Leaf | Should -Be "ZAi.$Version.nupkg"
    }

    It 'installs with <Installer> into a fresh HOME, imports in a fresh session, and has help' -TestCases @(
        @{ Installer = 'Install-PSResource'; Script = "Register-PSResourceRepository -Name Local -Uri '{0}' -Trusted; Install-PSResource ZAi -Repository Local -Scope CurrentUser -TrustRepository" }
        @{ Installer = 'Install-Module'; Script = "Register-PSRepository -Name Local -SourceLocation '{0}' -InstallationPolicy Trusted; Install-Module ZAi -Repository Local -Scope CurrentUser" }
    ) {
        $env = Get-IsolatedHome (Join-Path $TestDrive "home-$Installer")
        $install = Invoke-TestPwsh -Environment $env -Command ("`$ErrorActionPreference = 'Stop'; " + ($Script -f $Repo) + "; 'INSTALLED:' + (Get-Module -ListAvailable ZAi).ModuleBase")
        $install | Should -Match 'INSTALLED:(\S+)'
        $installed = ($install | Select-String 'INSTALLED:(\S+)').Matches[0].Groups[1].Value
        $installed | Should -BeLike "$($env.HOME)*"

        $use = Invoke-TestPwsh -Environment $env -Command @'
$ErrorActionPreference = 'Stop'
Import-Module ZAi
'COMMANDS:' + ((Get-Command -Module ZAi).Name -join ',')
'SYNOPSIS:' + (Get-Help Get-ZAiAsyncResult).Synopsis
'PATH:' + (Get-Module ZAi).Path
'@
        $use | Should -BeLike '*COMMANDS:*Get-ZAiAsyncResult*Wait-ZAiAsyncResult*'
        $use | Should -BeLike "*PATH:$installed*"
        $use | Should -Not -Match 'SYNOPSIS:\s*$'

        $files = Get-ChildItem $installed -Recurse -File
        $files | Where-Object { $_.Extension -in '.pdb', '.cs', '.csproj', '.trx' -or $_.Name -like '*.Tests.ps1' -or $_.Name -like '*.deps.json' -or $_.Name -like 'System.Management.Automation*' } | Should -BeNullOrEmpty
        $files.Name | Should -Contain 'ZAi.PowerShell.dll'
    }
}

Describe 'Loading' {
    It 'imports twice and beside the System.Text.Json the session already loaded, and still reads JSON' {
        Connect-TestEmulator -ErrorAction SilentlyContinue 2>$null
        $id = New-TestId 'stj'
        New-EmulatorTask @{ id = $id } | Out-Null
        $out = Invoke-TestPwsh -Command @"
`$ErrorActionPreference = 'Stop'
`$before = [System.Text.Json.JsonSerializer].Assembly.GetName().Version
`$null = [System.Text.Json.JsonDocument]::Parse('{"warm":1}')
Import-Module '$env:ZAI_TEST_MODULE'
Import-Module '$env:ZAI_TEST_MODULE' -Force
Connect-ZAi -ApiKey (ConvertTo-SecureString '$(Get-TestApiKey)' -AsPlainText -Force) -BaseUri '$(Get-TestEmulatorUrl)'
'STATUS:' + (Get-ZAiAsyncResult '$id').Status
'STJ:' + `$before + '=' + [System.Text.Json.JsonSerializer].Assembly.GetName().Version
"@
        $out | Should -BeLike '*STATUS:Success*'
        $out | Should -Match 'STJ:(\S+)=\1'
    }
}
