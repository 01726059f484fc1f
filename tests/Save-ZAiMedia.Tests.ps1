BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator

    function New-OutFolder { Join-Path $TestDrive (New-TestId 'out') }

    function Get-IdHash {
        <# The 8 hex digits a file name gets when the task id had to be changed to be a safe name. #>
        param([string] $Id)
        (([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Id)) | Select-Object -First 4 | ForEach-Object { $_.ToString('x2') }) -join '')
    }

    function Get-CleanHash {
        <# The SHA-256 of a media file fetched in one piece by Invoke-WebRequest, to compare downloads against. #>
        param([string] $Url)
        $file = Join-Path $TestDrive (New-TestId 'clean')
        Invoke-WebRequest -Uri $Url -OutFile $file
        (Get-FileHash $file -Algorithm SHA256).Hash
    }
}

AfterAll { Disconnect-ZAi }

Describe 'Save-ZAiMedia saves the files of a result' {
    BeforeAll {
        $script:Video = New-TestId 'video'
        $script:Image = New-TestId 'image'
        New-EmulatorTask @(
            @{ id = $Video; kind = 'video'; mediaSize = 300000; coverExtension = 'png' }
            @{ id = $Image; kind = 'image'; imageCount = 3; mediaSize = 5000 }
        ) | Out-Null
    }

    It 'names files from the task id: video, cover (extension from Content-Type) and numbered images' {
        $out = New-OutFolder
        $files = Get-ZAiAsyncResult $Video, $Image | Save-ZAiMedia -Path $out
        ($files.Name | Sort-Object) | Should -Be (@("$Image-1.png", "$Image-2.png", "$Image.png", "$Video.cover.png", "$Video.mp4") | Sort-Object)
        (Get-ChildItem $out).Count | Should -Be 5
        (Get-Item (Join-Path $out "$Video.mp4")).Length | Should -Be 300000
    }

    It 'outputs SavedMediaFile objects with the task id, media kind and source URL that pipe into file cmdlets' {
        $out = New-OutFolder
        $files = Get-ZAiAsyncResult $Video | Save-ZAiMedia -Path $out
        $videoFile = $files | Where-Object MediaKind -eq 'Video'
        $videoFile | Should -BeOfType ([ZAi.SavedMediaFile])
        $videoFile.GetFileInfo().Length | Should -Be $videoFile.Length
        $videoFile.TaskId | Should -Be $Video
        $videoFile.SourceUrl | Should -BeLike '*/video_0.mp4'
        $videoFile.Downloaded | Should -BeTrue
        ($videoFile | Get-FileHash -Algorithm SHA256).Hash | Should -Be (Get-CleanHash $videoFile.SourceUrl)
        $files | Remove-Item
        Get-ChildItem $out | Should -BeNullOrEmpty
    }

    It 'saves only the kinds given with -Kind' {
        $out = New-OutFolder
        $files = Get-ZAiAsyncResult $Video | Save-ZAiMedia -Path $out -Kind Cover
        $files.Name | Should -Be "$Video.cover.png"
    }

    It 'takes single media items and deserialized results' {
        $out = New-OutFolder
        $files = (Get-ZAiAsyncResult $Image).ImageResult[1] | Save-ZAiMedia -Path $out
        $files.Name | Should -Be "$Image-1.png"
        $xml = Join-Path $TestDrive 'result.xml'
        Get-ZAiAsyncResult $Video | Export-Clixml $xml
        $restored = Import-Clixml $xml
        $restored.PSObject.TypeNames[0] | Should -Be 'Deserialized.ZAi.AsyncResult'
        ($restored | Save-ZAiMedia -Path $out -Kind Video).Name | Should -Be "$Video.mp4"
    }

    It 'saves into the current location by default and resolves PowerShell paths' {
        $out = New-OutFolder
        New-Item -ItemType Directory $out | Out-Null
        Push-Location $out
        try { (Get-ZAiAsyncResult $Image).ImageResult[0] | Save-ZAiMedia | Out-Null }
        finally { Pop-Location }
        Test-Path (Join-Path $out "$Image.png") | Should -BeTrue
        New-PSDrive -Name ZAiTestOut -PSProvider FileSystem -Root $out | Out-Null
        try { (Get-ZAiAsyncResult $Image).ImageResult[2] | Save-ZAiMedia -Path 'ZAiTestOut:\nested\deeper' | Out-Null }
        finally { Remove-PSDrive ZAiTestOut }
        Test-Path (Join-Path $out "nested/deeper/$Image-2.png") | Should -BeTrue
    }

    It 'never sends an Authorization header to the media host' {
        $media = Get-EmulatorRequest -PathContains '/media/'
        @($media).Count | Should -BeGreaterThan 5
        $media | ForEach-Object { $_.headers.PSObject.Properties.Name | Should -Not -Contain 'Authorization' }
    }
}

Describe 'Save-ZAiMedia re-runs' {
    BeforeEach {
        $script:Id = New-TestId 'rerun'
        New-EmulatorTask @{ id = $Id; mediaSize = 2000 } | Out-Null
        $script:Out = New-OutFolder
        $script:Result = Get-ZAiAsyncResult $Id
        $Result | Save-ZAiMedia -Path $Out | Out-Null
        $script:Before = (Get-EmulatorTask $Id).mediaRequestCount
    }

    It 'skips an existing file without a request, says so on -Verbose and still outputs it' {
        $output = $Result | Save-ZAiMedia -Path $Out -Verbose 4>&1
        $files = $output | Where-Object { $_ -is [ZAi.SavedMediaFile] }
        $files.Count | Should -Be 2
        $files.Downloaded | Should -Be @($false, $false)
        ($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join "`n" | Should -BeLike '*Skipped the video 0*already exists*'
        (Get-EmulatorTask $Id).mediaRequestCount | Should -Be $Before
    }

    It 'downloads again with -Force' {
        $files = $Result | Save-ZAiMedia -Path $Out -Force
        $files.Downloaded | Should -Be @($true, $true)
        (Get-EmulatorTask $Id).mediaRequestCount | Should -Be ($Before + 2)
    }

    It 'makes an existing file a ZAiMediaFileExists error with -NoClobber' {
        $errors = $null
        $Result | Save-ZAiMedia -Path $Out -NoClobber -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors.Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZAiMediaFileExists,ZAi.PowerShell.Commands.SaveZAiMediaCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'sends nothing and writes nothing with -WhatIf, and lists the files' {
        $out = New-OutFolder
        $id = New-TestId 'whatif'
        New-EmulatorTask @{ id = $id } | Out-Null
        $xml = Join-Path $TestDrive "$id.xml"
        Get-ZAiAsyncResult $id | Export-Clixml $xml
        # -WhatIf messages go to the host, so read them from a child PowerShell's console output.
        $hostText = Invoke-TestPwsh "Import-Module '$env:ZAI_TEST_MODULE'; `$o = Import-Clixml '$xml' | Save-ZAiMedia -Path '$out' -WhatIf; 'OUTPUT:' + @(`$o).Count"
        $hostText | Should -BeLike "*What if: Performing the operation `"Download Video from localhost`" on target `"$out*$id.mp4`"*"
        $hostText | Should -BeLike "*$id.cover.jpg*"
        $hostText | Should -BeLike '*OUTPUT:0*'
        Test-Path $out | Should -BeFalse
        (Get-EmulatorTask $id).mediaRequestCount | Should -Be 0
    }
}

Describe 'Save-ZAiMedia is safe' {
    It 'resumes after a dropped connection with a Range request and produces a byte-identical file' {
        $id = New-TestId 'resume'
        New-EmulatorTask @{ id = $id; mediaSize = 5000000; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'drop'; afterBytes = 1500000 }, @{ type = 'drop'; afterBytes = 1000000 }) } } | Out-Null
        $out = New-OutFolder
        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $out -Kind Video
        $file.Length | Should -Be 5000000
        ($file | Get-FileHash -Algorithm SHA256).Hash | Should -Be (Get-CleanHash $file.SourceUrl)
        $requests = Get-EmulatorRequest -TaskId $id -PathContains 'video_0.mp4' | Select-Object -First 3
        $requests[0].headers.PSObject.Properties.Name | Should -Not -Contain 'Range'
        $requests[1].headers.Range | Should -Be 'bytes=1500000-'
        $requests[2].headers.Range | Should -Be 'bytes=2500000-'
        Get-ChildItem $out -Filter '*.partial*' | Should -BeNullOrEmpty
    }

    It 'starts again when the server ignores Range' {
        $id = New-TestId 'norange'
        New-EmulatorTask @{ id = $id; mediaSize = 400000; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'drop'; afterBytes = 100000 }, @{ type = 'noRange' }) } } | Out-Null
        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -Kind Video
        ($file | Get-FileHash -Algorithm SHA256).Hash | Should -Be (Get-CleanHash $file.SourceUrl)
    }

    It 'retries a 503 from the media host' {
        $id = New-TestId 'media503'
        New-EmulatorTask @{ id = $id; mediaFaults = @{ '*' = @(@{ type = 'status'; status = 503; retryAfter = '0' }) } } | Out-Null
        (Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -Kind Video).Length | Should -Be 4096
    }

    It 'keeps file names inside -Path whatever the task id holds, with the id hash when it had to change: <Id>' -TestCases @(
        @{ Id = '../../escape'; Stem = '_.._escape' }
        @{ Id = '..\..\escape-win'; Stem = '_.._escape-win' }
        @{ Id = 'CON'; Stem = '_CON' }
        @{ Id = 'nul.txt'; Stem = '_nul.txt' }
        @{ Id = 'a:b*c?d"e<f>g|h'; Stem = 'a_b_c_d_e_f_g_h' }
        @{ Id = '/abs/path'; Stem = '_abs_path' }
        @{ Id = 'trailing. .'; Stem = 'trailing' }
    ) {
        New-EmulatorTask @{ id = $Id } | Out-Null
        $parent = New-OutFolder
        $out = Join-Path $parent 'inside'
        $file = Get-ZAiAsyncResult $Id | Save-ZAiMedia -Path $out -Kind Video
        $file.DirectoryName | Should -Be (Resolve-Path $out).Path
        $file.Name | Should -Be "$Stem-$(Get-IdHash $Id).mp4"
        @(Get-ChildItem $parent -Recurse -File).Count | Should -Be 1
    }

    It 'leaves no partial file under a final name when stopped with Ctrl+C' {
        $id = New-TestId 'stop'
        New-EmulatorTask @{ id = $id; mediaSize = 20000000; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'drip'; bytesPerSecond = 200000 }) } } | Out-Null
        $result = Get-ZAiAsyncResult $id
        $out = New-OutFolder
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({ param($m, $r, $o) Import-Module $m; $r | Save-ZAiMedia -Path $o -Kind Video }).AddArgument($env:ZAI_TEST_MODULE).AddArgument($result).AddArgument($out)
            $async = $ps.BeginInvoke()
            Wait-EmulatorCondition { (Test-Path (Join-Path $out "$id.partial")) -and (Get-Item (Join-Path $out "$id.partial")).Length -gt 0 }
            (Stop-TestShell $ps -WithinSec 2).TotalSeconds | Should -BeLessThan 2
            $async.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
        Test-Path (Join-Path $out "$id.mp4") | Should -BeFalse
        Test-Path (Join-Path $out "$id.partial") | Should -BeTrue
    }
}

Describe 'Save-ZAiMedia errors' {
    It 'reports an expired link (<Status>) as ZAiMediaLinkExpired, saying links expire' -TestCases @(
        @{ Status = 403 }
        @{ Status = 404 }
    ) {
        $id = New-TestId 'expired'
        New-EmulatorTask @{ id = $id; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'status'; status = $Status }) } } | Out-Null
        $errors = $null
        $files = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -ErrorAction SilentlyContinue -ErrorVariable errors
        $files.Name | Should -Be "$id.cover.jpg"
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZAiMediaLinkExpired,ZAi.PowerShell.Commands.SaveZAiMediaCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $errors[0].Exception.Message | Should -BeLike '*expire*'
    }

    It 'reports a body shorter than announced as ZAiMediaLengthMismatch and keeps no final file' {
        Connect-TestEmulator -Extra @{ MaxRetries = 0 }
        try {
            $id = New-TestId 'short'
            New-EmulatorTask @{ id = $id; mediaSize = 100000; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'shortBody' }) } } | Out-Null
            $out = New-OutFolder
            $errors = $null
            Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $out -Kind Video -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiMediaLengthMismatch,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            Test-Path (Join-Path $out "$id.mp4") | Should -BeFalse
        }
        finally { Disconnect-ZAi; Connect-TestEmulator }
    }

    It 'reports a result with no media (<Outcome>) as ZAiNoMedia' -TestCases @(
        @{ Outcome = 'PROCESSING'; Spec = @{ processingMs = 600000 }; Says = '*PROCESSING*Wait-ZAiAsyncResult*' }
        @{ Outcome = 'FAIL'; Spec = @{ outcome = 'FAIL' }; Says = '*FAIL*failed*' }
    ) {
        $id = New-TestId 'nomedia'
        $Spec.id = $id
        New-EmulatorTask $Spec | Out-Null
        $errors = $null
        Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiNoMedia,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $errors[0].Exception.Message | Should -BeLike $Says
    }

    It 'refuses links that are not http or https' {
        $errors = $null
        [pscustomobject]@{ TaskId = 'local'; Index = 0; Url = 'file:///etc/passwd' } | Save-ZAiMedia -Path (New-OutFolder) -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidMediaUrl,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'reports a folder that cannot be created as ZAiMediaWriteFailed' {
        $id = New-TestId 'blocked'
        New-EmulatorTask @{ id = $id } | Out-Null
        $blocker = Join-Path $TestDrive (New-TestId 'file')
        Set-Content $blocker 'not a folder'
        $errors = $null
        Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (Join-Path $blocker 'sub') -Kind Video -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiMediaWriteFailed,*'
        $errors[0].CategoryInfo.Category | Should -Be 'WriteError'
    }

    It 'rejects -Path on a provider that is not the file system' {
        { Get-ZAiAsyncResult 'x' -ErrorAction SilentlyContinue | Save-ZAiMedia -Path 'Env:\' } | Should -Throw -ErrorId 'ZAiInvalidPath,*'
    }
}

Describe 'Save-ZAiMedia in the pipeline' {
    It 'starts each download as Wait-ZAiAsyncResult streams its result, while other tasks still run' {
        $fast = New-TestId 'fast'
        $slow = New-TestId 'slow'
        New-EmulatorTask @(
            @{ id = $fast }
            @{ id = $slow; processingPolls = 5 }
        ) | Out-Null
        $out = New-OutFolder
        $files = $slow, $fast | Wait-ZAiAsyncResult -PollIntervalSec 0.1 -MaxPollIntervalSec 0.1 | Save-ZAiMedia -Path $out -Kind Video
        ($files.Name | Sort-Object) | Should -Be (@("$fast.mp4", "$slow.mp4") | Sort-Object)
        # Seen from the server: the fast task's video was served before the slow task's last poll (the order of the
        # emulator's request log, not two readings of its clock).
        $fastDownload = (Get-EmulatorRequest -TaskId $fast -PathContains '/media/' | Select-Object -First 1).sequence
        $slowFinished = (Get-EmulatorRequest -TaskId $slow -PathContains 'async-result' | Select-Object -Last 1).sequence
        $fastDownload | Should -BeLessThan $slowFinished
    }

    It 'writes an overall progress bar and a child bar per file, and completes them' {
        $id = New-TestId 'progress'
        # Each file drips for about a second, so the bar is written while downloads run.
        New-EmulatorTask @{ id = $id; kind = 'image'; imageCount = 3; mediaSize = 1000000; mediaFaults = @{ '*' = @(@{ type = 'drip'; bytesPerSecond = 1000000 }, @{ type = 'drip'; bytesPerSecond = 1000000 }, @{ type = 'drip'; bytesPerSecond = 1000000 }) } } | Out-Null
        $result = Get-ZAiAsyncResult $id
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({ param($m, $r, $o) Import-Module $m; $ProgressPreference = 'Continue'; $r | Save-ZAiMedia -Path $o }).AddArgument($env:ZAI_TEST_MODULE).AddArgument($result).AddArgument((New-OutFolder))
            $ps.Invoke().Count | Should -Be 3
            $records = @($ps.Streams.Progress)
            $overall = @($records | Where-Object ParentActivityId -eq -1)
            $overall[0].Activity | Should -Be 'Saving Z.AI media'
            $overall[-1].RecordType | Should -Be 'Completed'
            @($records | Where-Object ParentActivityId -eq $overall[0].ActivityId).Count | Should -BeGreaterThan 0
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Save-ZAiMedia against a hostile host or a shared folder' {
    BeforeAll {
        $script:Precious = [Text.Encoding]::UTF8.GetBytes("the user's own file`n")
        function New-Target {
            <# A file outside -Path that a planted link points to. #>
            $path = Join-Path $TestDrive (New-TestId 'target')
            [IO.File]::WriteAllBytes($path, $Precious)
            $path
        }
    }

    It 'refuses a link planted at the <Suffix> name and leaves its target untouched' -TestCases @(
        @{ Suffix = '.partial' }
        @{ Suffix = '.partial.validator' }
        @{ Suffix = '.mp4' }
    ) {
        $id = New-TestId 'link'
        New-EmulatorTask @{ id = $id; mediaSize = 20000 } | Out-Null
        $out = New-OutFolder
        New-Item -ItemType Directory $out | Out-Null
        $target = New-Target
        New-Item -ItemType SymbolicLink -Path (Join-Path $out "$id$Suffix") -Target $target | Out-Null
        $errors = $null
        $files = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $out -Kind Video -Force -ErrorAction SilentlyContinue -ErrorVariable errors
        $files | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiMediaWriteFailed,*'
        $errors[0].Exception.Message | Should -BeLike "*$id$Suffix' is a symbolic link*"
        [IO.File]::ReadAllBytes($target) | Should -Be $Precious
        (Get-Item (Join-Path $out "$id$Suffix")).LinkTarget | Should -Be $target
    }

    It 'does not report a link at a final name as an already saved file' {
        $id = New-TestId 'linkskip'
        New-EmulatorTask @{ id = $id } | Out-Null
        $out = New-OutFolder
        New-Item -ItemType Directory $out | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $out "$id.mp4") -Target (New-Target) | Out-Null
        $errors = $null
        Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $out -Kind Video -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiMediaWriteFailed,*'
        (Get-EmulatorTask $id).mediaRequestCount | Should -Be 0
    }

    It 'never saves the truncated file of a resume answered with a lying 416' {
        $id = New-TestId 'lie416'
        New-EmulatorTask @{ id = $id; mediaSize = 1048576; mediaFaults = @{ 'video_0.mp4' = @(
                    @{ type = 'drop'; afterBytes = 500000 }, @{ type = 'rangeNotSatisfiable'; afterBytes = 500000 }) } } | Out-Null
        $file = Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -Kind Video
        $file.Length | Should -Be 1048576
        Wait-EmulatorCondition { @(Get-EmulatorRequest -TaskId $id -PathContains '/media/').Count -eq 3 }
        (Get-EmulatorRequest -TaskId $id -PathContains '/media/' | Sort-Object { [DateTimeOffset]$_.timestamp }).status | Should -Be @(200, 416, 200)
    }

    It 'refuses a file over -MaximumFileSize with ZAiMediaTooLarge and removes the partial file' {
        $id = New-TestId 'big'
        New-EmulatorTask @{ id = $id; mediaSize = 300000; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'endless' }) } } | Out-Null
        $out = New-OutFolder
        $errors = $null
        Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $out -Kind Video -MaximumFileSize 100KB -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZAiMediaTooLarge,ZAi.PowerShell.Commands.SaveZAiMediaCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $errors[0].Exception.Message | Should -BeLike '*-MaximumFileSize (102400 bytes)*'
        @(Get-ChildItem $out).Count | Should -Be 0
    }

    It 'takes -MaximumFileSize as Int64 so that 4GB works, and refuses 0' {
        (Get-Command Save-ZAiMedia).Parameters['MaximumFileSize'].ParameterType | Should -Be ([long])
        $id = New-TestId 'fourgb'
        New-EmulatorTask @{ id = $id } | Out-Null
        (Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -Kind Video -MaximumFileSize 4GB).Length | Should -Be 4096
        { Get-ZAiAsyncResult $id | Save-ZAiMedia -Path (New-OutFolder) -MaximumFileSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'reports an HTML page answered for a video as ZAiMediaUnexpectedContent and saves nothing' {
        $id = New-TestId 'html'
        New-EmulatorTask @{ id = $id; mediaFaults = @{ 'video_0.mp4' = @(@{ type = 'html'; contentType = 'video/mp4' }) } } | Out-Null
        $out = New-OutFolder
        $errors = $null
        Get-ZAiAsyncResult $id | Save-ZAiMedia -Path $out -Kind Video -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZAiMediaUnexpectedContent,ZAi.PowerShell.Commands.SaveZAiMediaCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        @(Get-ChildItem $out).Count | Should -Be 0
    }

    It 'saves two tasks whose ids sanitise to one name under two names, also on a later run' {
        $suffix = [guid]::NewGuid().ToString('N')
        $slash = "same/$suffix"
        $colon = "same:$suffix"
        New-EmulatorTask @(@{ id = $slash; mediaSize = 1000 }, @{ id = $colon; mediaSize = 2000 }) | Out-Null
        $out = New-OutFolder
        $files = Get-ZAiAsyncResult $slash, $colon | Save-ZAiMedia -Path $out -Kind Video
        ($files | Sort-Object Length).Name | Should -Be @("same_$suffix-$(Get-IdHash $slash).mp4", "same_$suffix-$(Get-IdHash $colon).mp4")
        ($files | Sort-Object Length | ForEach-Object Length) | Should -Be @(1000, 2000)
        $again = Get-ZAiAsyncResult $colon | Save-ZAiMedia -Path $out -Kind Video
        $again.Downloaded | Should -BeFalse
        $again.Length | Should -Be 2000
    }

    It 'saves two tasks whose ids differ only in case under two names in one call' {
        $upper = New-TestId 'CASE'
        $lower = $upper.ToLowerInvariant()
        New-EmulatorTask @(@{ id = $upper; mediaSize = 1000 }, @{ id = $lower; mediaSize = 2000 }) | Out-Null
        $files = Get-ZAiAsyncResult $upper, $lower | Save-ZAiMedia -Path (New-OutFolder) -Kind Video
        $files.Count | Should -Be 2
        ($files | Sort-Object Length).Name | Should -Be @("$upper.mp4", "$lower-$(Get-IdHash $lower).mp4")
        $files.Downloaded | Should -Be @($true, $true)
    }
}
