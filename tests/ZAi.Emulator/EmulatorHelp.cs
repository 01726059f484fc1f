namespace ZAi.Emulator;

/// <summary>What <c>ZAi.Emulator --help</c> prints: every start-up option and every setting of the control API.</summary>
internal static class EmulatorHelp
{
    public const string Usage = "usage: ZAi.Emulator [--port N] [--api-key K]... [--latency-ms N] [--parent-pid P] [--https-certificate PFX] [--help]";

    public const string Text = Usage + """


        A loopback stand-in for the Z.AI API: submissions, async results, media links, limits and faults.
        Once listening it prints ZAI_EMULATOR_URL=http://127.0.0.1:<port>/api (the base URI for Connect-ZAi).
        From the repository, ./build.ps1 Emulator builds it, runs it in the foreground and prints a Connect-ZAi line.

        Options:
          --port N          TCP port on 127.0.0.1 (0, the default, picks a free one).
          --api-key K       A key accepted as 'Authorization: Bearer K'; repeat for several. Default: test-key.
                            Any other key gets HTTP 401 with code 1002, as the API answers.
          --latency-ms N    Delay in milliseconds before every API and media answer (default 0).
          --parent-pid P    Exit when process P exits.
          --https-certificate PFX
                            Serve https (API, media and control API) with this certificate (a PKCS#12 file
                            without a password, for 127.0.0.1 and localhost); the URL printed is then https.
                            Clients trust its CA through SSL_CERT_FILE (how the proxy tests reach it).
          --help, -h, -?    This text.

        API (under /api, with the bearer key):
          POST /api/paas/v4/videos/generations        submit a video task
          POST /api/paas/v4/async/images/generations  submit an image task
          POST /api/paas/v4/async/chat/completions    submit an async chat task (its answer echoes the prompt)
          POST /api/v1/agents                         submit a video effect (agent vidu_template_agent)
          POST /api/v1/agents/async-result            an agent task's state ({agent_id, async_id})
          GET  /api/paas/v4/async-result/{id}         the task's state and, once SUCCESS, its media links
          GET  /media/{id}/{file}                     the media (real MP4, JPEG and PNG files; ranges supported)

        Control API (no key), for scripts and tests:
          GET  /_emulator/config      the settings below, every one filled in
          POST /_emulator/config      change settings (JSON; absent properties stay as they are):
            latencyMs          delay in ms before every API and media answer
            concurrencyLimit   the account's limit of tasks in flight (0: none, the default); a submission
                               over it gets HTTP 429 with code 1302 and creates nothing
            submission         the template of every submitted task, e.g. {"processingMs": 5000} (how long a task
                               runs), {"processingPolls": 3}, {"outcome": "FAIL"}, {"mediaSize": 1048576},
                               {"finishedMinutesAgo": 2880} (links already expired); {} restores the default
                               (SUCCESS at the first poll, media of 4096 bytes)
            submissionFaults   faults for the next submissions, one each, e.g. [{"type": "status", "status": 500}];
                               types: status, businessIn200, html, malformed, slow, drop, echoKey,
                               statusAfterCreate (the task is created, then the answer is a 5xx); also on /v1/agents
            failPrompts        tasks whose prompt contains one of these texts end FAIL, e.g. ["BOOM"]
            expirePrompts      tasks whose prompt contains one of these texts succeed with expired links
            createdFaultPercent  percent (0-100) of accepted submissions whose answer is lost after the task was
                               created: a 502 or a reset, in turn, from a fixed seed
            media              the media host: {"bytesPerSecond": 2097152} per connection, {"latencyMs": 50} to
                               the first byte, {"ranges": false} to ignore byte ranges; hosts that are not
                               well-behaved: {"etag": "strong|weak|none"}, {"lastModified": "past|now|none"},
                               {"ignoreIfRange": true}; {"slowConnection": 2, "slowBytesPerSecond": 16384} paces
                               the 2nd connection from then on
            apiKeys            more accepted keys, each an account of its own (its tasks and request_ids are seen
                               by no other key), e.g. ["sk-second"]; a reset forgets them
            read-only: submissionFaultsRemaining, concurrencyRefusals, submissionsAccepted, tasksInFlight
          POST /_emulator/tasks       create tasks from TaskSpec JSON (one object or an array), e.g.
                                      {"id": "t1", "kind": "video", "processingPolls": 2, "faults": [{"type": "status", "status": 503}],
                                       "mediaFaults": {"video_0.mp4": [{"type": "drop", "afterBytes": 100}]}}
                                      shapes seen on the live API: "resultShape": "object" (video_result, image_result,
                                      choices as one object), "processingFields" / "finishedFields" (merged into the
                                      running / finished bodies, e.g. {"model": null}), "optimizedPrompt", "includeIdField"
          GET  /_emulator/tasks       every task;  GET /_emulator/task?id=ID  one task
          POST /_emulator/media-version?id=ID&file=FILE   the file changes now (new bytes, ETag, Last-Modified)
          GET  /_emulator/requests    the request log, in the order requests ended (each has a sequence
                                      number as it ended and an arrivalSequence as it arrived; ?taskId=ID,
                                      ?pathContains=TEXT); DELETE clears it
          POST /_emulator/reset       start-up latency, default template, no submission faults
          POST /_emulator/hold        {"on": "request"|"accepted"|"media", "count": n}: after n such events, hold every
                                      API and media request; GET ?waitMs=N waits until it holds; DELETE drops the
                                      held requests unanswered (a killed client's) and disarms
          GET  /_emulator/health      ok

        Examples:
          dotnet ZAi.Emulator.dll --port 5099 --api-key my-test-key
          Invoke-RestMethod -Method Post http://127.0.0.1:5099/_emulator/config -ContentType application/json -Body '{"concurrencyLimit": 2, "submission": {"processingMs": 10000}}'

        """;
}
