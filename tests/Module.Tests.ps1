BeforeAll {
    $script:ManifestPath = $env:ZAI_TEST_MODULE
    $script:ModuleFolder = Split-Path $ManifestPath
}

Describe 'The built module' {
    It 'has a manifest that passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest $ManifestPath
        $manifest.Name | Should -Be 'ZAi'
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'exports exactly its cmdlets and no functions' {
        $data = Import-PowerShellDataFile $ManifestPath
        $data.FunctionsToExport.Count | Should -Be 0
        $module = Import-Module $ManifestPath -Force -PassThru
        $exported = (Get-Command -Module ZAi).Name | Sort-Object
        $exported | Should -Be (@($data.CmdletsToExport) | Sort-Object)
        (Get-Command -Module ZAi).CommandType | Sort-Object -Unique | Should -Be 'Cmdlet'
        $module.ExportedFunctions.Count | Should -Be 0
    }

    It 'uses approved verbs only' {
        Import-Module $ManifestPath -Force
        $approved = (Get-Verb).Verb
        (Get-Command -Module ZAi).Verb | ForEach-Object { $approved | Should -Contain $_ }
    }

    It 'ships only what PowerShell loads: no pdb, deps.json, xml docs or System.Management.Automation' {
        $files = Get-ChildItem $ModuleFolder -Recurse -File
        $files.Name | Should -Contain 'ZAi.PowerShell.dll'
        $files.Name | Should -Contain 'System.Text.Json.dll'
        $files.Name | Should -Contain 'ZAi.format.ps1xml'
        $files | Where-Object { $_.Extension -in '.pdb', '.json', '.xml' -or $_.Name -like 'System.Management.Automation*' } | Should -BeNullOrEmpty
    }

    It 'imports twice in one session' {
        Import-Module $ManifestPath -Force
        { Import-Module $ManifestPath -Force } | Should -Not -Throw
        Get-Command Get-ZAiAsyncResult | Should -Not -BeNullOrEmpty
    }
}
