using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Tests that touch the process-wide connection run alone so no other test sees it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ZAiSessionStateCollection
{
    public const string Name = "ZAiSession process-wide state";
}

[Collection(ZAiSessionStateCollection.Name)]
public class ZAiSessionTests
{
    private const string EnvKey = "sk-from-environment-0001";
    private const string ConnectKey = "sk-from-connect-zai-0002";

    private static Func<string, string?> Env(string? apiKey = null, string? baseUrl = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [ZAiSession.ApiKeyVariable] = apiKey,
            [ZAiSession.BaseUrlVariable] = baseUrl,
        };
        return name => values.TryGetValue(name, out var value) ? value : null;
    }

    [Fact]
    public void EnvironmentVariableNamesMatchTheOfficialSdks()
    {
        Assert.Equal("ZAI_API_KEY", ZAiSession.ApiKeyVariable);
        Assert.Equal("ZAI_BASE_URL", ZAiSession.BaseUrlVariable);
    }

    [Fact]
    public void DefaultsWhenNothingIsSet()
    {
        var settings = ZAiSession.Resolve(null, Env());

        Assert.Equal(BaseUriRules.International, settings.BaseUri);
        Assert.Equal("Default", settings.BaseUriSource);
        Assert.Null(settings.ApiKey);
        Assert.Equal("None", settings.ApiKeySource);
        Assert.Equal("en-US,en", settings.Language);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.RequestTimeout);
        Assert.Equal(3, settings.MaxRetries);
    }

    [Fact]
    public void EnvironmentBeatsDefaults()
    {
        var settings = ZAiSession.Resolve(null, Env(EnvKey, "https://open.bigmodel.cn/api/paas/v4"));

        Assert.Equal(BaseUriRules.China, settings.BaseUri);
        Assert.Equal("ZAI_BASE_URL", settings.BaseUriSource);
        Assert.Equal(EnvKey, settings.ApiKey!.Reveal());
        Assert.Equal("ZAI_API_KEY", settings.ApiKeySource);
    }

    [Fact]
    public void ConnectValuesBeatEnvironment()
    {
        var options = new ConnectionOptions
        {
            ApiKey = ApiKey.FromPlainText(ConnectKey),
            BaseUri = BaseUriRules.Normalize("http://127.0.0.1:9/api", "test"),
            Language = "zh-CN,zh",
            ConnectTimeout = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(42),
            MaxRetries = 7,
        };

        var settings = ZAiSession.Resolve(options, Env(EnvKey, "https://open.bigmodel.cn/api"));

        Assert.Equal("http://127.0.0.1:9/api/", settings.BaseUri.AbsoluteUri);
        Assert.Equal("Connect-ZAi", settings.BaseUriSource);
        Assert.Equal(ConnectKey, settings.ApiKey!.Reveal());
        Assert.Equal("Connect-ZAi", settings.ApiKeySource);
        Assert.Equal("zh-CN,zh", settings.Language);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(42), settings.RequestTimeout);
        Assert.Equal(7, settings.MaxRetries);
    }

    [Fact]
    public void EachValueFallsBackOnItsOwn()
    {
        var keyOnly = ZAiSession.Resolve(new ConnectionOptions { ApiKey = ApiKey.FromPlainText(ConnectKey) }, Env(EnvKey, "https://open.bigmodel.cn/api"));
        Assert.Equal("Connect-ZAi", keyOnly.ApiKeySource);
        Assert.Equal(ConnectKey, keyOnly.ApiKey!.Reveal());
        Assert.Equal("ZAI_BASE_URL", keyOnly.BaseUriSource);
        Assert.Equal(BaseUriRules.China, keyOnly.BaseUri);
        Assert.Equal("en-US,en", keyOnly.Language);
        Assert.Equal(3, keyOnly.MaxRetries);

        var baseOnly = ZAiSession.Resolve(new ConnectionOptions { BaseUri = BaseUriRules.China }, Env(EnvKey));
        Assert.Equal("Connect-ZAi", baseOnly.BaseUriSource);
        Assert.Equal("ZAI_API_KEY", baseOnly.ApiKeySource);
        Assert.Equal(EnvKey, baseOnly.ApiKey!.Reveal());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void BlankEnvironmentValuesCountAsUnset(string blank)
    {
        var settings = ZAiSession.Resolve(null, Env(blank, blank));

        Assert.Equal("Default", settings.BaseUriSource);
        Assert.Equal("None", settings.ApiKeySource);
        Assert.Null(settings.ApiKey);
    }

    [Fact]
    public void InvalidBaseUrlInTheEnvironmentNamesTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() => ZAiSession.Resolve(null, Env(EnvKey, "http://api.z.ai/api")));

        Assert.Contains("ZAI_BASE_URL", error.Message);
        Assert.Contains("https", error.Message);
    }

    [Fact]
    public void EnvironmentKeyIsTrimmed()
    {
        Assert.Equal(EnvKey, ZAiSession.Resolve(null, Env("  " + EnvKey + "\n")).ApiKey!.Reveal());
    }

    [Fact]
    public void RequireApiKeyNamesConnectZAiAndTheVariable()
    {
        var settings = ZAiSession.Resolve(null, Env());

        var error = Assert.Throws<ZAiApiException>(() => settings.RequireApiKey());

        Assert.Equal(ZAiErrorReason.ApiKeyMissing, error.Reason);
        Assert.Equal("ZAiApiKeyMissing", error.ErrorId);
        Assert.Contains("Connect-ZAi", error.Message);
        Assert.Contains("ZAI_API_KEY", error.Message);
        Assert.False(error.IsTransient);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public void RequireApiKeyReturnsTheKeyWhenSet()
    {
        var settings = ZAiSession.Resolve(null, Env(EnvKey));

        Assert.Same(settings.ApiKey, settings.RequireApiKey());
    }

    [Fact]
    public void SenderWithoutAKeyFailsBeforeAnyRequest()
    {
        var settings = ZAiSession.Resolve(null, Env());

        var error = Assert.Throws<ZAiApiException>(() => new ApiRequestSender(settings, NullLog.Instance));

        Assert.Equal(ZAiErrorReason.ApiKeyMissing, error.Reason);
    }

    [Fact]
    public void ContextShowsSourcesAndOnlyTheMaskedKey()
    {
        var settings = ZAiSession.Resolve(null, Env(EnvKey, "https://open.bigmodel.cn/api"));

        var context = new ZAiContext(settings, null);

        Assert.Equal("****0001", context.ApiKey);
        Assert.Equal("ZAI_API_KEY", context.ApiKeySource);
        Assert.Equal("https://open.bigmodel.cn/api/", context.BaseUri);
        Assert.Equal("ZAI_BASE_URL", context.BaseUriSource);
        Assert.False(context.Connected);
        Assert.DoesNotContain(EnvKey, context.ToString());
    }

    [Fact]
    public void ProcessWideConnectionIsUsedUntilDisconnect()
    {
        var previous = ZAiSession.Connection;
        try
        {
            var options = new ConnectionOptions { ApiKey = ApiKey.FromPlainText(ConnectKey), MaxRetries = 1 };
            ZAiSession.Connect(options);

            Assert.Same(options, ZAiSession.Connection);
            var connected = ZAiSession.Resolve(Env(EnvKey));
            Assert.Equal("Connect-ZAi", connected.ApiKeySource);
            Assert.Equal(ConnectKey, connected.ApiKey!.Reveal());
            Assert.Equal(1, connected.MaxRetries);

            ZAiSession.Disconnect();

            Assert.Null(ZAiSession.Connection);
            var disconnected = ZAiSession.Resolve(Env(EnvKey));
            Assert.Equal("ZAI_API_KEY", disconnected.ApiKeySource);
            Assert.Equal(3, disconnected.MaxRetries);
        }
        finally
        {
            if (previous is null) ZAiSession.Disconnect(); else ZAiSession.Connect(previous);
        }
    }
}
