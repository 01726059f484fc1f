# Async chat and video effects through the user's path (Start -> Wait -> export/Save), and what tasks cost:
# -WhatIf estimates, the closing total, -MaximumCost against the journal's spend, and a user's price file.

BeforeAll {
    Import-Module $env:ZAI_TEST_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'ZAi.TestHelpers.psm1') -Force
    $env:ZAI_API_KEY = $null
    $env:ZAI_BASE_URL = $null
    Connect-TestEmulator
    Set-EmulatorSubmission -Reset | Out-Null

    function Get-ChatSubmission {
        <# The async chat submissions whose body contains $Match, with their parsed body. #>
        param([string] $Match)
        @(Get-EmulatorRequest -PathContains '/async/chat/completions' | Where-Object { $_.body -and $_.body.Contains($Match) })
    }

    function Get-AgentSubmission {
        param([string] $Match)
        @(Get-EmulatorRequest -PathContains '/v1/agents' | Where-Object { $_.rawTarget -eq '/api/v1/agents' -and $_.body -and $_.body.Contains($Match) })
    }

    # A 1x1 PNG, sent inline (base64) by Start-ZAiVideoEffect.
    $script:Png = Join-Path $TestDrive 'face.png'
    [IO.File]::WriteAllBytes($Png, [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='))
}

AfterAll {
    Set-EmulatorSubmission -Reset | Out-Null
    Disconnect-ZAi
}

Describe 'Start-ZAiChatCompletion' {
    It 'runs a batch of 6 prompts with a journal, and a re-run submits nothing and returns the same tasks' {
        $tag = New-TestId 'chat batch'
        $journal = Join-Path $TestDrive "$tag.jsonl"
        $prompts = 1..6 | ForEach-Object { "$tag ticket $_" }

        $results = @($prompts | Start-ZAiChatCompletion -Journal $journal | Wait-ZAiAsyncResult -PollIntervalSec 0.1)

        $results.Count | Should -Be 6
        (Get-ChatSubmission $tag).Count | Should -Be 6
        foreach ($result in $results) {
            $result.Kind | Should -Be 'Chat'
            $result.Status | Should -Be 'Success'
            $result.Content | Should -Be "Echo: $($result.Prompt)"
            $result.Prompt | Should -BeIn $prompts
            $result.ReasoningContent | Should -Not -BeNullOrEmpty
            $result.FinishReason | Should -Be 'stop'
            $result.Usage.PromptTokens | Should -Be 4
            $result.Usage.TotalTokens | Should -Be 9
        }
        @(Get-Content $journal | ConvertFrom-Json | Where-Object type -EQ 'accepted').Count | Should -Be 6

        $again = @($prompts | Start-ZAiChatCompletion -Journal $journal | Wait-ZAiAsyncResult -PollIntervalSec 0.1)

        (Get-ChatSubmission $tag).Count | Should -Be 6
        ($again.Id | Sort-Object) | Should -Be ($results.Id | Sort-Object)
        ($again | Where-Object Prompt -EQ "$tag ticket 3").Content | Should -Be "Echo: $tag ticket 3"
    }

    It 'sends -System, -Messages and the sampling parameters the API documents' {
        $tag = New-TestId 'chat params'
        $task = Start-ZAiChatCompletion -Messages @{ role = 'user'; content = "$tag first" }, @{ role = 'assistant'; content = 'ok' }, @{ role = 'user'; content = "$tag second" } `
            -System 'Answer briefly.' -Model glm-4.5 -Temperature 0.3 -TopP 0.8 -MaxTokens 100 -Thinking disabled -Stop 'END'
        $body = (Get-ChatSubmission $tag)[0].body | ConvertFrom-Json

        $body.model | Should -Be 'glm-4.5'
        $body.messages.role | Should -Be 'system', 'user', 'assistant', 'user'
        $body.messages[3].content | Should -Be "$tag second"
        $body.temperature | Should -Be 0.3
        $body.top_p | Should -Be 0.8
        $body.max_tokens | Should -Be 100
        $body.thinking.type | Should -Be 'disabled'
        $body.stop | Should -Be 'END'
        $task.Prompt | Should -Be "$tag second"
        $task.Kind | Should -Be 'Chat'
    }

    It 'refuses a bad message with ZAiInvalidGenerationRequest naming it, and sends nothing' {
        $tag = New-TestId 'chat bad'
        $errors = $null
        Start-ZAiChatCompletion -Messages @{ role = 'robot'; content = $tag } -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidGenerationRequest,*'
        $errors[0].Exception.Message | Should -BeLike "*-Messages item 0 has role 'robot'*"
        (Get-ChatSubmission $tag).Count | Should -Be 0
    }
}

Describe 'Chat results' {
    BeforeAll {
        $script:ChatTag = New-TestId 'chat export'
        $script:Chats = @("$ChatTag, first line`nsecond line", "$ChatTag other") | Start-ZAiChatCompletion | Wait-ZAiAsyncResult -PollIntervalSec 0.1
    }

    It 'export to CSV with the text, the prompt and the usage' {
        $csv = Join-Path $TestDrive 'chats.csv'
        $Chats | Export-Csv $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)

        $rows.Count | Should -Be 2
        $row = $rows | Where-Object Prompt -EQ "$ChatTag other"
        $row.Content | Should -Be "Echo: $ChatTag other"
        $row.Usage | Should -Be '3 prompt + 4 completion = 7 tokens'
        $row.FinishReason | Should -Be 'stop'
        ($rows | Where-Object Prompt -Like '*first line*').Content | Should -Be "Echo: $ChatTag, first line`nsecond line"
    }

    It 'export to JSON and Clixml with the text and the usage' {
        $json = $Chats | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        ($json | Where-Object Prompt -EQ "$ChatTag other").Content | Should -Be "Echo: $ChatTag other"
        ($json | Where-Object Prompt -EQ "$ChatTag other").Usage.TotalTokens | Should -Be 7

        $xml = Join-Path $TestDrive 'chats.xml'
        $Chats | Export-Clixml $xml
        $back = Import-Clixml $xml | Where-Object Prompt -EQ "$ChatTag other"
        $back.Content | Should -Be "Echo: $ChatTag other"
        $back.Usage.CompletionTokens | Should -Be 4
        $back.pstypenames | Should -Contain 'Deserialized.ZAi.AsyncResult#Chat'
    }

    It 'show the start of the answer in the default table, on one line' {
        $table = ($Chats | Out-String -Width 200)

        $table | Should -Match 'Content'
        $table | Should -Match ([regex]::Escape("Echo: $ChatTag, first line second line"))
        $table | Should -Match 'Tokens'
    }

    It 'have no media by their kind: Save-ZAiMedia says so once, pointing at Content, and writes no error' {
        $errors = $null
        $warnings = $null
        $saved = @($Chats | Save-ZAiMedia -Path (Join-Path $TestDrive 'nochat') -ErrorVariable errors -WarningVariable warnings -WarningAction SilentlyContinue)

        $saved.Count | Should -Be 0
        $errors.Count | Should -Be 0
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*is a chat completion: it has no media to save*Content*'
    }
}

Describe 'Start-ZAiVideoEffect' {
    It 'goes from a local image to a saved video, polled on the agents API' {
        Set-EmulatorSubmission -Template @{ processingPolls = 1 } | Out-Null
        try {
            $out = Join-Path $TestDrive 'effects'
            $task = Start-ZAiVideoEffect -ImagePath $Png -Template bodyshake -Prompt (New-TestId 'effect')
            $files = @($task | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path $out)

            $task.AgentId | Should -Be 'vidu_template_agent'
            $task.TaskStatus | Should -Be 'pending'
            $files.Count | Should -Be 1
            $files[0].MediaKind | Should -Be 'Video'
            $bytes = [IO.File]::ReadAllBytes($files[0].FullName)
            [Text.Encoding]::ASCII.GetString($bytes, 4, 4) | Should -Be 'ftyp'
            $sent = (Get-EmulatorRequest -TaskId $task.Id -PathContains '/v1/agents')
            @($sent | Where-Object rawTarget -EQ '/api/v1/agents').Count | Should -Be 1
            (@($sent | Where-Object rawTarget -EQ '/api/v1/agents/async-result').Count -ge 2) | Should -BeTrue
            @(Get-EmulatorRequest -TaskId $task.Id -PathContains '/paas/v4/async-result').Count | Should -Be 0
            $body = (@($sent | Where-Object rawTarget -EQ '/api/v1/agents')[0].body | ConvertFrom-Json)
            $body.custom_variables.template | Should -Be 'bodyshake'
            $body.messages[0].content[0].image_url | Should -BeLike 'data:image/png;base64,*'
        }
        finally { Set-EmulatorSubmission -Reset | Out-Null }
    }

    It 'keeps the agent through a CSV: a new session waits on the agents API and saves the video' {
        $csv = Join-Path $TestDrive 'effects.csv'
        $out = Join-Path $TestDrive 'effects-csv'
        Start-ZAiVideoEffect -ImageUrl 'https://images.example/portrait.png' -Template french_kiss | Export-Csv $csv -NoTypeInformation

        $printed = Invoke-ConnectedTestPwsh "Import-Csv '$csv' | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | Save-ZAiMedia -Path '$out' | ForEach-Object { 'SAVED:' + `$_.Extension }"

        ($printed -join "`n") | Should -Match 'SAVED:\.mp4'
        @(Get-ChildItem $out -Filter *.mp4).Count | Should -Be 1
    }

    It 'keeps the agent through a journal: its accepted lines pipe into Wait in a new session' {
        $journal = Join-Path $TestDrive 'effects.journal'
        $task = Start-ZAiVideoEffect -ImageUrl 'https://images.example/journal.png' -Template bodyshake -Journal $journal

        $accepted = @(Get-Content $journal | ConvertFrom-Json | Where-Object type -EQ 'accepted')
        $printed = Invoke-ConnectedTestPwsh "Get-Content '$journal' | ConvertFrom-Json | Where-Object type -EQ 'accepted' | Wait-ZAiAsyncResult -PollIntervalSec 0.1 | ForEach-Object { 'DONE:' + `$_.Id + ':' + `$_.TaskStatus }"

        $accepted.Count | Should -Be 1
        $accepted[0].agentId | Should -Be 'vidu_template_agent'
        ($printed -join "`n") | Should -Match ([regex]::Escape("DONE:$($task.Id):success"))
    }

    It 'reports a failed effect with the agent''s error as ZAiTaskFailed' {
        Set-EmulatorSubmission -Template @{ outcome = 'FAIL' } | Out-Null
        try {
            $errors = $null
            $done = @(Start-ZAiVideoEffect -ImageUrl 'https://images.example/bad.png' -Template sexy_me | Wait-ZAiAsyncResult -PollIntervalSec 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue)

            $done.Count | Should -Be 0
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiTaskFailed,*'
            $errors[0].Exception.Message | Should -BeLike '*task_status failed*Error 1301: The effect could not be applied to this image.*'
        }
        finally { Set-EmulatorSubmission -Reset | Out-Null }
    }
}

Describe 'Chat and effects under the account''s limit of tasks in flight' {
    It 'queues both kinds under a limit of 1: every task submitted once and finished, refusals absorbed' {
        $root = Get-EmulatorRoot
        # A task holds the room until its second poll, which Wait makes -PollIntervalSec after its first: the prompts
        # sent as the first is accepted meet a full account (1302) on the client's events, not on a clock.
        $config = @{ concurrencyLimit = 1; submission = @{ processingPolls = 2 } } | ConvertTo-Json -Depth 4
        Invoke-RestMethod -Method Post -Uri "$root/_emulator/config" -ContentType 'application/json' -Body $config | Out-Null
        try {
            $tag = New-TestId 'limit'
            $before = Invoke-RestMethod -Uri "$root/_emulator/config"
            # A fresh process, so the account's limit it learns stays out of this one.
            $printed = (Invoke-ConnectedTestPwsh ("`$e = `$null; '$tag a', '$tag b', '$tag c' | Start-ZAiChatCompletion -ErrorVariable +e | Wait-ZAiAsyncResult -PollIntervalSec 0.1 -ErrorVariable +e | ForEach-Object { 'CHAT:' + `$_.Content }; " +
                "'https://images.example/1.png', 'https://images.example/2.png' | Start-ZAiVideoEffect -Template bodyshake -Prompt '$tag effect' -ErrorVariable +e | Wait-ZAiAsyncResult -PollIntervalSec 0.1 -ErrorVariable +e | ForEach-Object { 'EFFECT:' + `$_.TaskStatus }; 'ERRORS:' + @(`$e).Count")) -join "`n"
            $after = Invoke-RestMethod -Uri "$root/_emulator/config"

            ([regex]::Matches($printed, "CHAT:Echo: $tag")).Count | Should -Be 3
            ([regex]::Matches($printed, 'EFFECT:success')).Count | Should -Be 2
            $printed | Should -Match 'ERRORS:0'
            (Get-ChatSubmission $tag | Where-Object status -EQ 200).Count | Should -Be 3
            (Get-AgentSubmission "$tag effect" | Where-Object status -EQ 200).Count | Should -Be 2
            ($after.concurrencyRefusals - $before.concurrencyRefusals) | Should -BeGreaterThan 0
        }
        finally {
            Invoke-RestMethod -Method Post -Uri "$root/_emulator/config" -ContentType 'application/json' -Body '{"concurrencyLimit":0}' | Out-Null
            Set-EmulatorSubmission -Reset | Out-Null
        }
    }
}

Describe 'Costs' {
    It 'names each task''s estimated price under -WhatIf and ends with the estimated total' {
        $tag = New-TestId 'whatif price'
        $printed = (Invoke-ConnectedTestPwsh "'$tag a', '$tag b' | Start-ZAiVideoGeneration -WhatIf; '$tag c' | Start-ZAiImageGeneration -WhatIf; '$tag d' | Start-ZAiChatCompletion -WhatIf; Start-ZAiVideoEffect -ImageUrl https://images.example/w.png -Template bodyshake -WhatIf") -join "`n"

        ([regex]::Matches($printed, [regex]::Escape('Estimated price: $0.20 (price table of 2026-07-01).'))).Count | Should -Be 3
        $printed | Should -Match ([regex]::Escape('Estimated price: $0.015 (price table of 2026-07-01).'))
        $printed | Should -Match ([regex]::Escape('Estimated price: none before the run (billed by tokens'))
        $printed | Should -Match ([regex]::Escape('What if: Estimated cost: $0.40 for 2 new task(s). Prices: the price table of 2026-07-01 from Z.AI''s pricing page, July 2026.'))
        $printed | Should -Match ([regex]::Escape('What if: Estimated cost: $0.015 for 1 new task(s)'))
        @(Get-EmulatorSubmission $tag).Count | Should -Be 0
        (Get-ChatSubmission $tag).Count | Should -Be 0
    }

    It 'ends a real batch with its estimated total on the verbose stream' {
        $tag = New-TestId 'verbose total'
        $verbose = @("$tag a", "$tag b", "$tag c" | Start-ZAiImageGeneration -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] })

        @($verbose | Where-Object Message -Like 'Estimated cost: $0.045 for 3 new task(s)*').Count | Should -Be 1
    }

    It 'refuses with ZAiBudgetExceeded each prompt that would take the run over -MaximumCost, and sends none of them' {
        $tag = New-TestId 'budget'
        $errors = $null
        $tasks = @(1..5 | ForEach-Object { "$tag prompt $_" } | Start-ZAiVideoGeneration -MaximumCost 0.5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $tasks.Count | Should -Be 2
        ($tasks.Prompt) | Should -Be "$tag prompt 1", "$tag prompt 2"
        @(Get-EmulatorSubmission $tag).Count | Should -Be 2
        $errors.Count | Should -Be 3
        foreach ($e in $errors) { $e.FullyQualifiedErrorId | Should -BeLike 'ZAiBudgetExceeded,*' }
        ($errors | ForEach-Object TargetObject) | Should -Be "$tag prompt 3", "$tag prompt 4", "$tag prompt 5"
        $errors[0].Exception.Message | Should -BeLike '*from $0.40 to $0.60, over -MaximumCost $0.50*'
        $errors[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'counts the tasks its journal already accepted against -MaximumCost' {
        $tag = New-TestId 'budget journal'
        $journal = Join-Path $TestDrive "$tag.jsonl"
        "$tag one", "$tag two" | Start-ZAiVideoGeneration -Journal $journal | Out-Null
        $errors = $null

        $warnings = $null
        $tasks = @("$tag one", "$tag two", "$tag three", "$tag four", "$tag five" | Start-ZAiVideoGeneration -Journal $journal -MaximumCost 0.8 -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue)

        $tasks.Count | Should -Be 4
        @(Get-EmulatorSubmission $tag).Count | Should -Be 4
        # With a journal the refusal is recorded, said as a warning, and the run's end reports the batch as not done.
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "Row 5 of the input (prompt '$tag five'): Not submitted*of which `$0.40 for the journal's 2 earlier task(s)*The journal records it*"
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ZAiBatchIncomplete,*'
        (Get-ZAiJournal $journal -State Refused).Prompt | Should -Be "$tag five"
    }

    It 'refuses a negative -MaximumCost before sending anything' {
        $tag = New-TestId 'negative budget'
        $caught = $null
        try { "$tag a" | Start-ZAiVideoGeneration -MaximumCost -1 -ErrorAction Stop } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidArgument,*'
        $caught.Exception.Message | Should -BeLike '*-MaximumCost -1 is negative*'
        @(Get-EmulatorSubmission $tag).Count | Should -Be 0
    }

    It 'submits chat tasks under -MaximumCost without counting them, warning once' {
        $tag = New-TestId 'budget chat'
        $warnings = $null
        $tasks = @("$tag a", "$tag b" | Start-ZAiChatCompletion -MaximumCost 0 -WarningVariable warnings -WarningAction SilentlyContinue)

        $tasks.Count | Should -Be 2
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "*'glm-4.6' is billed by tokens*not counted against -MaximumCost*"
    }

    It 'uses the prices of a file given to Connect-ZAi -PriceFile until Disconnect-ZAi' {
        $tag = New-TestId 'price file'
        $file = Join-Path $TestDrive 'prices.json'
        '{ "date": "2026-09-01", "source": "our contract", "prices": { "cogvideox-3": 0.5 } }' | Set-Content $file
        try {
            Connect-TestEmulator -Extra @{ PriceFile = $file }
            $errors = $null
            $tasks = @("$tag a", "$tag b" | Start-ZAiVideoGeneration -MaximumCost 0.6 -ErrorVariable errors -ErrorAction SilentlyContinue)
            $tasks.Count | Should -Be 1
            $errors[0].Exception.Message | Should -BeLike '*estimated $0.50*'
        }
        finally {
            Disconnect-ZAi
            Connect-TestEmulator
        }
        @("$tag c", "$tag d" | Start-ZAiVideoGeneration -MaximumCost 0.6 -ErrorAction SilentlyContinue).Count | Should -Be 2
    }

    It 'refuses a bad price file with ZAiInvalidPriceFile naming the problem' {
        $file = Join-Path $TestDrive 'bad-prices.json'
        '{ "prices": { "cogvideox-3": "cheap" } }' | Set-Content $file

        $caught = $null
        try { Connect-TestEmulator -Extra @{ PriceFile = $file } } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'ZAiInvalidPriceFile,*'
        $caught.Exception.Message | Should -BeLike "*'cogvideox-3'*write a number of USD*"
    }
}
