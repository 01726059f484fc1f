@{
    RootModule           = 'ZAi.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '76cef1f6-cfe2-48a2-86ce-be487c9fbadc'
    Author               = 'ZAi contributors'
    CompanyName          = 'ZAi contributors'
    Copyright            = '(c) 2026 ZAi contributors. MIT License.'
    Description          = 'Cmdlets for Z.AI asynchronous tasks (video, image, async chat, video effects): submit tasks at the account''s limit with a crash-safe journal, fetch and wait for many at once, download the media, estimate costs. Typed objects that pipe into each other; retries, rate limits and error envelopes handled.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('ZAi.format.ps1xml')
    TypesToProcess       = @('ZAi.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-ZAi'
        'Disconnect-ZAi'
        'Get-ZAiContext'
        'Get-ZAiAsyncResult'
        'Wait-ZAiAsyncResult'
        'Save-ZAiMedia'
        'Get-ZAiJournal'
        'Start-ZAiVideoGeneration'
        'Start-ZAiImageGeneration'
        'Start-ZAiChatCompletion'
        'Start-ZAiVideoEffect'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('ZAI', 'Z.AI', 'GLM', 'CogVideoX', 'AI', 'Video', 'Image', 'Generation', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/zai-powershell/ZAi/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/zai-powershell/ZAi'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
