# Bodies recorded from the live API or shown by its official SDKs that differ from the documentation (issue #25,
# "shapes from the wild"), served by the emulator (TaskSpec resultShape, processingFields, finishedFields,
# optimizedPrompt, includeIdField, requestId) and read over real HTTP; and the API's 6 to 64 characters of request_id.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('zai-wild-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory $Work | Out-Null

    function Get-Served {
        <# The bytes the emulator serves at a media link. #>
        param([string] $Url)
        (Invoke-WebRequest -Uri $Url).Content
    }
}

AfterAll {
    Set-EmulatorSubmission -Reset | Out-Null
    Disconnect-ZAi
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'image_result and video_result as one object' {
    BeforeAll {
        $script:Image = New-TestId 'img-object'
        $script:Video = New-TestId 'vid-object'
        New-EmulatorTask @(
            @{ id = $Image; kind = 'image'; resultShape = 'object' }
            @{ id = $Video; kind = 'video'; resultShape = 'object' }
        ) | Out-Null
    }

    It 'is served as one object, not a list' {
        $raw = Invoke-RestMethod -Uri "$(Get-TestEmulatorUrl)/paas/v4/async-result/$Image" -Headers @{ Authorization = "Bearer $(Get-TestApiKey)" }
        # Not piped: a list of one would unroll and pass for an object.
        $raw.image_result -is [Array] | Should -BeFalse
        $raw.image_result.GetType().Name | Should -Be 'PSCustomObject'
        $raw.image_result.url | Should -BeLike "*/$Image/*"
    }

    It 'reads as one image and one video with its cover, without a warning' {
        $results = Get-ZAiAsyncResult $Image, $Video -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $results[0].MediaCount | Should -Be 1
        $results[0].ImageResult[0].Url | Should -BeLike "*/$Image/*"
        $results[0].Kind | Should -Be 'Image'
        $results[0].UnreadFields.Count | Should -Be 0
        $results[1].VideoResult.Count | Should -Be 1
        $results[1].CoverImageUrl | Should -BeLike "*/$Video/*"
    }

    It 'saves the image and the video with its cover, each as served' {
        $folder = Join-Path $Work 'object'
        $saved = @(Get-ZAiAsyncResult $Image, $Video | Save-ZAiMedia -Path $folder)
        ($saved.MediaKind | Sort-Object) | Should -Be @('Cover', 'Image', 'Video')
        $image = Get-ZAiAsyncResult $Image
        [IO.File]::ReadAllBytes(($saved | Where-Object MediaKind -EQ 'Image').FullName) | Should -Be (Get-Served $image.ImageUrl)
    }
}

Describe 'a media field in a shape no SDK reads' {
    BeforeAll {
        $script:Odd = New-TestId 'img-text'
        $script:OddUrl = 'https://cdn.example/odd.png'
        New-EmulatorTask @{ id = $Odd; kind = 'image'; finishedFields = @{ image_result = $OddUrl } } | Out-Null
        $script:Expected = "Task '$Odd': the API sent image_result (text) in a shape this module does not read, so what it holds is not among the result's media or answers. The raw value is kept in the result's UnreadFields property."
    }

    It 'is kept raw on the result and warned of once by Get-ZAiAsyncResult' {
        $result = Get-ZAiAsyncResult $Odd -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Success'
        $result.MediaCount | Should -Be 0
        $result.UnreadFields['image_result'] | Should -Be $OddUrl
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be $Expected
    }

    It 'is warned of once by Wait-ZAiAsyncResult, and the raw value survives Export-Clixml' {
        $result = Wait-ZAiAsyncResult $Odd -PollIntervalSec 0.1 -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be $Expected
        $file = Join-Path $Work "$Odd.clixml"
        $result | Export-Clixml $file
        (Import-Clixml $file).UnreadFields['image_result'] | Should -Be $OddUrl
    }

    It 'is an error for Save-ZAiMedia that names the field, not a silent success with nothing saved' {
        $folder = Join-Path $Work 'odd'
        $saved = Get-ZAiAsyncResult $Odd -WarningAction SilentlyContinue | Save-ZAiMedia -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
        $saved | Should -BeNullOrEmpty
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiNoMedia,*'
        "$($errors[0])" | Should -Be "$Expected Nothing was saved: the media links, if any, are in that raw value."
        Test-Path $folder | Should -BeFalse
    }

    It 'is an error for Save-ZAiMedia given a shallow copy (a CSV row), which it fetches again' {
        [pscustomobject]@{ Id = $Odd; TaskStatus = 'SUCCESS' } | Save-ZAiMedia -Path (Join-Path $Work 'odd-id') -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiNoMedia,*'
        "$($errors[0])" | Should -BeLike "*image_result (text)*"
    }
}

Describe 'a media list with an item in a shape no SDK reads' {
    BeforeAll {
        $script:Mixed = New-TestId 'img-mixed'
        $mediaRoot = (Get-EmulatorRoot) -replace '127\.0\.0\.1', 'localhost'
        New-EmulatorTask @{ id = $Mixed; kind = 'image'; imageCount = 2; finishedFields = @{ image_result = @('odd', @{ url = "$mediaRoot/media/$Mixed/image_1.png" }) } } | Out-Null
    }

    It 'lists the readable item at its place, keeps the list raw, and warns once through the pipeline' {
        $folder = Join-Path $Work 'mixed'
        $saved = @(Get-ZAiAsyncResult $Mixed -WarningVariable gotWarnings -WarningAction SilentlyContinue | Tee-Object -Variable result |
                Save-ZAiMedia -Path $folder -WarningVariable saveWarnings -WarningAction SilentlyContinue)
        $result.ImageResult.Index | Should -Be @(1)
        @($result.UnreadFields['image_result']).Count | Should -Be 2
        # Get-ZAiAsyncResult warned of the live result; Save-ZAiMedia does not repeat it.
        @($gotWarnings).Count | Should -Be 1
        "$($gotWarnings[0])" | Should -BeLike "Task '$Mixed': the API sent image_result (a list of values that are not objects) in a shape*"
        @($saveWarnings).Count | Should -Be 0
        $saved.MediaIndex | Should -Be @(1)
        [IO.File]::ReadAllBytes($saved[0].FullName) | Should -Be (Get-Served $result.ImageUrl)
    }

    It 'warns when Save-ZAiMedia saves a deserialized copy, whose shape it still names' {
        $file = Join-Path $Work "$Mixed.clixml"
        Get-ZAiAsyncResult $Mixed -WarningAction SilentlyContinue | Export-Clixml $file
        $saved = @(Import-Clixml $file | Save-ZAiMedia -Path (Join-Path $Work 'mixed-copy') -WarningVariable warnings -WarningAction SilentlyContinue)
        $saved.MediaIndex | Should -Be @(1)
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "Task '$Mixed': the API sent image_result (a list of values that are not objects) in a shape*"
    }
}

Describe 'a SUCCESS body without id, with optimized_prompt' {
    BeforeAll {
        $script:NoId = New-TestId 'vid-noid'
        New-EmulatorTask @{ id = $NoId; kind = 'video'; model = 'cogvideox-flash'; includeIdField = $false; optimizedPrompt = 'A calm sea at dawn, cinematic' } | Out-Null
    }

    It 'is served without id and read as the task asked for, its optimized prompt a property' {
        $raw = Invoke-RestMethod -Uri "$(Get-TestEmulatorUrl)/paas/v4/async-result/$NoId" -Headers @{ Authorization = "Bearer $(Get-TestApiKey)" }
        $raw.PSObject.Properties.Name | Should -Not -Contain 'id'
        $raw.optimized_prompt | Should -Be 'A calm sea at dawn, cinematic'
        $result = Get-ZAiAsyncResult $NoId
        $result.Id | Should -Be $NoId
        $result.OptimizedPrompt | Should -Be 'A calm sea at dawn, cinematic'
        $result.AdditionalProperties.Count | Should -Be 0
        ($result | ConvertTo-Json -Depth 4 | ConvertFrom-Json).OptimizedPrompt | Should -Be 'A calm sea at dawn, cinematic'
    }

    It 'saves its video and cover under the task id' {
        $folder = Join-Path $Work 'noid'
        $saved = @(Get-ZAiAsyncResult $NoId | Save-ZAiMedia -Path $folder)
        ($saved.Name | Sort-Object) | Should -Be @("$NoId.cover.jpg", "$NoId.mp4")
    }
}

Describe 'an async chat whose model is null while running and upper-case when done, with a request_id starting with -' {
    BeforeAll {
        $script:Chat = '101002-' + (Get-Random -Minimum 1000000000 -Maximum 2000000000) + '93947842'
        New-EmulatorTask @{ id = $Chat; kind = 'chat'; requestId = '-8802648481093947843'; processingPolls = 1; processingFields = @{ model = $null }; finishedFields = @{ model = 'GLM-Z1-AirX' } } | Out-Null
    }

    It 'reads the running body with a null model and the request id as sent' {
        $running = Get-ZAiAsyncResult $Chat
        $running.Status | Should -Be 'Processing'
        $running.Model | Should -BeNullOrEmpty
        $running.Kind | Should -Be 'Unknown'
        $running.RequestId | Should -Be '-8802648481093947843'
    }

    It 'waits for it and reads the upper-case model as a chat with its answer' {
        $done = Wait-ZAiAsyncResult $Chat -PollIntervalSec 0.1
        $done.Model | Should -Be 'GLM-Z1-AirX'
        $done.Kind | Should -Be 'Chat'
        $done.Content | Should -Be 'Hello from the emulator'
        $done.RequestId | Should -Be '-8802648481093947843'
    }

    It 'says a chat has no media when piped to Save-ZAiMedia (its kind comes from the answer, not the model case)' {
        $warnings = $null
        Get-ZAiAsyncResult $Chat | Save-ZAiMedia -Path (Join-Path $Work 'chat') -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        # No media is no error for a task that has none by its kind: one warning says so.
        $errors.Count | Should -Be 0
        "$($warnings[0])" | Should -BeLike "*is a chat completion*"
    }
}

Describe '-RequestId: 6 to 64 characters, and a leading -' {
    BeforeEach {
        $script:journal = Join-Path $Work ((New-TestId 'rid') + '.jsonl')
    }

    It 'refuses <Length> characters before anything is sent or journaled' -TestCases @(@{ Length = 5 }, @{ Length = 65 }) {
        $requestId = 'q' * $Length
        $prompt = New-TestId 'short'
        $out = Start-ZAiVideoGeneration $prompt -RequestId $requestId -Journal $journal -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidGenerationRequest,*'
        "$($errors[0])" | Should -Be "-RequestId is $Length characters long; the API takes 6 to 64."
        @(Get-EmulatorSubmission $prompt).Count | Should -Be 0
        if (Test-Path $journal) { Get-Content -Raw $journal | Should -Not -BeLike "*$prompt*" }
    }

    It 'refuses it for images and chats too' {
        { Start-ZAiImageGeneration 'x' -RequestId 'abc' -ErrorAction Stop } | Should -Throw '-RequestId is 3 characters long; the API takes 6 to 64.'
        { Start-ZAiChatCompletion 'x' -RequestId ('c' * 70) -ErrorAction Stop } | Should -Throw '-RequestId is 70 characters long; the API takes 6 to 64.'
    }

    It 'sends one that starts with - (quoted, after a colon, and as PowerShell reads an unquoted negative number), and the journal matches it on a re-run' {
        $a = '-' + (New-TestId 'dash')
        $b = '-' + (New-TestId 'colon')
        $number = -1 * (Get-Random -Minimum 1000000000 -Maximum 2000000000)
        $first = @(
            Start-ZAiVideoGeneration 'dash quoted' -RequestId $a -Journal $journal
            Invoke-Expression "Start-ZAiVideoGeneration 'dash colon' -RequestId:$b -Journal '$journal'"
            Invoke-Expression "Start-ZAiVideoGeneration 'dash number' -RequestId $number -Journal '$journal'"
        )
        $first.RequestId | Should -Be @($a, $b, "$number")
        (Get-EmulatorSubmission $a).Json.request_id | Should -Be $a
        (Get-EmulatorSubmission $b).Json.request_id | Should -Be $b
        (Get-EmulatorSubmission "$number").Json.request_id | Should -Be "$number"
        (Get-ZAiJournal $journal).RequestId | Sort-Object | Should -Be (@($a, $b, "$number") | Sort-Object)

        # A re-run with the same journal submits nothing again: each prompt's task comes back from the journal.
        $again = @(
            [pscustomobject]@{ Prompt = 'dash quoted'; RequestId = $a }
            [pscustomobject]@{ Prompt = 'dash colon'; RequestId = $b }
            [pscustomobject]@{ Prompt = 'dash number'; RequestId = "$number" }
        ) | Start-ZAiVideoGeneration -Journal $journal
        $again.Id | Should -Be $first.Id
        @(Get-EmulatorSubmission $a).Count | Should -Be 1
        @(Get-EmulatorSubmission $b).Count | Should -Be 1
    }
}
