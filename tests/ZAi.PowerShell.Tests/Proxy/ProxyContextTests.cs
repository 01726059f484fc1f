using System.Net;
using System.Text.Json;
using ZAi.PowerShell.Client;
using Xunit;
using static ZAi.PowerShell.Tests.Proxy.EnvironmentProxyTests;

namespace ZAi.PowerShell.Tests.Proxy;

/// <summary>Get-ZAiContext's proxy properties: the proxy, where it comes from, its user and the bypass list, never a password.</summary>
public class ProxyContextTests
{
    [Fact]
    public void TheContextShowsTheExplicitProxyItsUserAndTheBypassListButNotThePassword()
    {
        var options = new ConnectionOptions
        {
            BaseUri = new Uri("https://api.z.ai/api/"),
            Proxy = new ProxyOptions
            {
                Address = new Uri("http://proxy.corp:3128/"),
                Credential = new NetworkCredential("ann", "hunter2", "CORP"),
                NoProxy = ProxyBypassList.Parse(new[] { "*.cdn.example", "10.0.0.0/8" }, "-NoProxy", true),
            },
        };

        var context = new ZAiContext(ZAiSession.Resolve(options, _ => null), DateTime.UtcNow);

        Assert.Equal("http://proxy.corp:3128", context.Proxy);
        Assert.Equal("Connect-ZAi", context.ProxySource);
        Assert.Equal("CORP\\ann", context.ProxyUser);
        Assert.Equal("cdn.example, 10.0.0.0/8", context.NoProxy);
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize(context));
    }

    [Fact]
    public void TheContextShowsTheEnvironmentsProxyWithoutItsPasswordAndNoProxyWhenTheApiIsBypassed()
    {
        var environment = Env(("HTTPS_PROXY", "http://ann:hunter2@proxy.corp:3128"), ("NO_PROXY", "localhost"));

        var context = new ZAiContext(ZAiSession.Resolve(null, environment), null);
        var bypassed = new ZAiContext(ZAiSession.Resolve(null, Env(("HTTPS_PROXY", "http://proxy.corp:3128"), ("NO_PROXY", "z.ai"))), null);

        Assert.Equal("http://proxy.corp:3128", context.Proxy);
        Assert.Equal("HTTPS_PROXY", context.ProxySource);
        Assert.Equal("ann", context.ProxyUser);
        Assert.Equal("localhost", context.NoProxy);
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize(context));
        Assert.Null(bypassed.Proxy);
        Assert.Null(bypassed.ProxyUser);
        Assert.Equal("HTTPS_PROXY", bypassed.ProxySource);
    }

    [Fact]
    public void AnInvalidProxyVariableIsAClearErrorWhenTheSettingsAreResolved()
    {
        var error = Assert.Throws<ArgumentException>(() => ZAiSession.Resolve(null, Env(("HTTPS_PROXY", "ftp://ann:hunter2@proxy.corp"))));

        Assert.StartsWith("The HTTPS_PROXY environment variable ('ftp://***@proxy.corp')", error.Message);
    }
}
