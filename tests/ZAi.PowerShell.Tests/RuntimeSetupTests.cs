using System.Net;
using ZAi.PowerShell.Loading;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>What the module does at import on .NET Framework: detecting it, and TLS 1.2.</summary>
public sealed class RuntimeSetupTests
{
    [Theory]
    [InlineData(".NET Framework 4.8.9181.0", true)]
    [InlineData(".NET Framework 4.7.3416.0", true)]
    [InlineData(".NET 8.0.11", false)]
    [InlineData(".NET 10.0.0", false)]
    [InlineData(".NET Core 3.1.32", false)]
    [InlineData("Mono 6.8.0.105 (Debian 6.8.0.105+dfsg-3.3 Wed Feb 22 2023)", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void NetFrameworkIsRecognisedByItsDescription(string? description, bool expected)
    {
        Assert.Equal(expected, NetFramework.Is(description));
    }

    [Fact]
    public void ThisRuntimeIsNotNetFramework()
    {
        Assert.False(NetFramework.IsCurrent);
    }

    [Theory]
    [InlineData(0, 0)]                      // SystemDefault: Windows chooses, left alone
    [InlineData(192, 192 | 3072)]           // Tls (1.0) only, powershell.exe's usual default
    [InlineData(48 | 192, 48 | 192 | 3072)] // Ssl3 | Tls
    [InlineData(3072, 3072)]                // Tls12 already
    [InlineData(12288, 12288 | 3072)]       // Tls13
    public void Tls12IsAddedUnlessTheSystemChooses(int current, int expected)
    {
        Assert.Equal((SecurityProtocolType)expected, TlsProtocols.WithTls12((SecurityProtocolType)current));
    }

    [Fact]
    public void OnPowerShell7ImportAndRemoveDoNothing()
    {
        var before = ServicePointManager.SecurityProtocol;
        var initializer = new ModuleInitializer();
        initializer.OnImport();
        initializer.OnRemove(null!);
        Assert.Equal(before, ServicePointManager.SecurityProtocol);
    }
}
