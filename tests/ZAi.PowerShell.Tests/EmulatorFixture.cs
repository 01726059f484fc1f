using System.Collections.Concurrent;
using ZAi.Emulator;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Tests;

/// <summary>One loopback emulator per test class (xUnit class fixture); each test uses its own task ids.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    /// <summary>A key distinctive enough that finding it in any message means it leaked.</summary>
    public const string ApiKeyValue = "sk-secret-value-1234567890";

    private EmulatorServer? _server;

    public EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync()
    {
        var options = new EmulatorOptions();
        options.ApiKeys.Add(ApiKeyValue);
        _server = await EmulatorServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Connection settings for this emulator with the test key, as Connect-ZAi would make them.</summary>
    /// <param name="accounts">The connection's accounts; null shares the process's registry of environment-only commands, a new one is a new connection.</param>
    /// <param name="baseUri">Another spelling of the emulator's base URI (another base URI: another account).</param>
    internal ConnectionSettings Settings(int maxRetries = 3, TimeSpan? requestTimeout = null, string key = ApiKeyValue, string language = "en-US,en", ConnectionMemory? memory = null, string? baseUri = null) =>
        new(
            BaseUriRules.Normalize(baseUri ?? Server.BaseUrl.ToString(), "test"),
            "test",
            ApiKey.FromPlainText(key),
            "test",
            language,
            TimeSpan.FromSeconds(5),
            requestTimeout ?? TimeSpan.FromSeconds(10),
            maxRetries,
            memory: memory);

    /// <summary>A task id no other test uses.</summary>
    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N");
}

/// <summary>An <see cref="IZAiLog"/> that keeps every message and signals the first verbose one.</summary>
internal sealed class CollectingLog : IZAiLog
{
    private readonly ConcurrentQueue<string> _verbose = new();
    private readonly ConcurrentQueue<string> _debug = new();
    private readonly TaskCompletionSource<string> _firstVerbose = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> VerboseMessages => _verbose.ToArray();

    public IReadOnlyList<string> DebugMessages => _debug.ToArray();

    public IEnumerable<string> All => _verbose.Concat(_debug);

    /// <summary>Completes with the first verbose message (the client writes one before each retry wait).</summary>
    public Task<string> FirstVerbose => _firstVerbose.Task;

    public void Verbose(string message)
    {
        _verbose.Enqueue(message);
        _firstVerbose.TrySetResult(message);
    }

    public void Debug(string message) => _debug.Enqueue(message);
}
