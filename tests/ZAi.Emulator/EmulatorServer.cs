using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ZAi.Emulator;

/// <summary>
/// A running loopback emulator of the Z.AI task API (video and image submission, async-result)
/// and its media host.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private const int BindAttempts = 5;

    private readonly WebApplication _app;
    private readonly EmulatorState _state;
    private int _disposed;

    private EmulatorServer(WebApplication app, EmulatorState state)
    {
        _app = app;
        _state = state;
        Port = state.Port;
        BaseUrl = new Uri($"{state.Scheme}://127.0.0.1:{Port}/api");
        RootUrl = new Uri($"{state.Scheme}://127.0.0.1:{Port}/");
    }

    /// <summary>The TCP port the emulator listens on (127.0.0.1 and, when available, [::1]).</summary>
    public int Port { get; }

    /// <summary>API base URL, <c>http://127.0.0.1:{port}/api</c>; the client appends <c>/paas/v4/async-result/{id}</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>; control endpoints live under <c>_emulator/</c>.</summary>
    public Uri RootUrl { get; }

    /// <summary>Per-response latency in milliseconds (same as <c>POST /_emulator/config</c>).</summary>
    public int LatencyMs
    {
        get => _state.LatencyMs;
        set => _state.LatencyMs = value;
    }

    /// <summary>Starts an emulator; with <see cref="EmulatorOptions.Port"/> 0 a free port is picked.</summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (int attempt = 1; ; attempt++)
        {
            int port = options.Port != 0 ? options.Port : FindFreePort();
            EmulatorServer server = Create(options, port);
            try
            {
                await server._app.StartAsync(ct);
                return server;
            }
            catch (Exception e) when (options.Port == 0 && attempt < BindAttempts && e is IOException or InvalidOperationException)
            {
                // another process took the port between probing and binding: try another one
                await server._app.DisposeAsync();
            }
            catch
            {
                await server._app.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Adds (or replaces) tasks in-process, like <c>POST /_emulator/tasks</c>.</summary>
    /// <exception cref="ArgumentException">A spec is invalid; no task was added.</exception>
    public IReadOnlyList<TaskInfo> AddTasks(params TaskSpec[] specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        List<EmulatedTask> tasks = specs.Select(TaskFactory.Create).ToList();
        foreach (EmulatedTask task in tasks)
        {
            _state.Tasks.Put(task);
        }
        return tasks.Select(t => t.Snapshot()).ToList();
    }

    /// <summary>
    /// Sets how the submission endpoints (<c>POST /api/paas/v4/videos/generations</c>,
    /// <c>POST /api/paas/v4/async/images/generations</c>) behave, like <c>POST /_emulator/config</c>
    /// with <c>submission</c> and <c>submissionFaults</c>. A non-null <paramref name="template"/>
    /// replaces the template of tasks created by submissions (its Id, Kind, Model and RequestId are
    /// ignored; <c>new TaskSpec()</c> restores the default); a non-null <paramref name="faults"/>
    /// replaces the submission fault queue (empty clears it); null leaves that part unchanged.
    /// Both are copied. See <see cref="FaultSpec"/> for what each fault does to a submission.
    /// </summary>
    /// <exception cref="ArgumentException">The template or a fault is invalid; nothing changed.</exception>
    public void ConfigureSubmissions(TaskSpec? template, IEnumerable<FaultSpec>? faults) =>
        _state.Submissions.Configure(template, faults);

    /// <summary>Submission faults not yet consumed (like <c>submissionFaultsRemaining</c> of <c>GET /_emulator/config</c>).</summary>
    public int SubmissionFaultsRemaining => _state.Submissions.FaultsRemaining;

    /// <summary>
    /// The current state of a task, or null if unknown (like <c>GET /_emulator/task?id=</c>);
    /// <see cref="TaskInfo.SubmittedBody"/> holds the body of the submission that created it.
    /// </summary>
    public TaskInfo? GetTask(string id) => _state.Tasks.Find(id)?.Snapshot();

    /// <summary>Lets the stalled media responses (stall faults) of a task send the rest of their bodies.</summary>
    public void ReleaseMedia(string id) =>
        (_state.Tasks.Find(id) ?? throw new ArgumentException($"No task '{id}'.", nameof(id))).ReleaseMedia();

    /// <summary>
    /// Replaces a media file of a task with a new version of the same size (other bytes, ETag and Last-Modified),
    /// as the <c>newVersion</c> fault does, at the moment a test chooses (like <c>POST /_emulator/media-version?id=&amp;file=</c>).
    /// </summary>
    public void NewMediaVersion(string id, string file)
    {
        if (_state.Tasks.Find(id) is null) throw new ArgumentException($"No task '{id}'.", nameof(id));
        _state.MediaVersions.Bump(id, file);
    }

    /// <summary>
    /// Logged requests, oldest first (like <c>GET /_emulator/requests</c>), optionally only those of
    /// one task (for a submission: the task it created) or whose raw target contains a string;
    /// <see cref="RequestLogEntry.Body"/> holds each <c>/api/*</c> request's body.
    /// </summary>
    public IReadOnlyList<RequestLogEntry> GetRequests(string? taskId = null, string? pathContains = null) =>
        _state.Log.Snapshot(taskId, pathContains);

    /// <summary>Sets the media host's bandwidth per connection, time to first byte and ranges (like <c>media</c> of <c>POST /_emulator/config</c>); null properties stay unchanged.</summary>
    /// <exception cref="ArgumentException">A value is invalid; nothing changed.</exception>
    public void ConfigureMedia(MediaHostConfig config) => _state.MediaHost.Apply(config);

    /// <summary>Clears the request log.</summary>
    public void ClearRequests() => _state.Log.Clear();

    /// <summary>Accepts further API keys, each an account of its own (see <see cref="ConfigBody.ApiKeys"/>).</summary>
    public void AddApiKeys(params string[] keys) => _state.AddKeys(keys);

    /// <summary>Answers accepted submissions of every endpoint after creating the task with this share of 502s and resets (see <see cref="ConfigBody.CreatedFaultPercent"/>).</summary>
    public void ConfigureOutcomes(List<string>? failPrompts, int? createdFaultPercent) => _state.Outcomes.Configure(failPrompts, createdFaultPercent);

    /// <summary>
    /// Clears tasks, the request log, the config (latency, submission template, submission faults)
    /// and the remembered submission request_ids.
    /// </summary>
    public void Reset() => _state.Reset();

    /// <summary>Stops the server; in-flight requests get one second, then their connections are aborted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        await _app.DisposeAsync();
    }

    private static EmulatorServer Create(EmulatorOptions options, int port)
    {
        X509Certificate2? certificate = options.CertificatePath is null ? null : X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, null);
        var state = new EmulatorState(options, port);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinResponseDataRate = null; // slow readers and drip faults must not be cut off
            kestrel.Limits.MaxRequestBodySize = null; // RequestBodyBuffer caps bodies itself, with a Z.AI-style 413
            kestrel.ListenLocalhost(port, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        WebApplication app = builder.Build();
        var router = new RequestRouter(state, app.Logger);
        app.Run(router.HandleAsync);
        return new EmulatorServer(app, state);
    }

    private static int FindFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
