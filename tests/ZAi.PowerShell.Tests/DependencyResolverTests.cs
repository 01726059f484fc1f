using ZAi.PowerShell.Loading;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>The decision of the .NET Framework resolver: which shipped file answers a failed load, if any.</summary>
public sealed class DependencyResolverTests
{
    private const string Msft = "cc7b13ffcd2ddd51";
    private static readonly ShippedAssembly Buffers = new("System.Buffers", new Version(4, 0, 3, 0), Msft, "/m/System.Buffers.dll");
    private static readonly ShippedAssembly Unsafe = new("System.Runtime.CompilerServices.Unsafe", new Version(6, 0, 0, 0), "B03F5F7F11D50A3A", "/m/System.Runtime.CompilerServices.Unsafe.dll");
    private static readonly ShippedAssembly Module = new("ZAi.PowerShell", new Version(0, 1, 0, 0), "", "/m/ZAi.PowerShell.dll");
    private static readonly ShippedAssembly[] Folder = { Buffers, Unsafe, Module };

    [Theory]
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "/m/System.Buffers.dll")]
    [InlineData("System.Buffers, Version=4.0.3.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "/m/System.Buffers.dll")]
    [InlineData("system.buffers, Version=4.0.0.0, Culture=neutral, PublicKeyToken=CC7B13FFCD2DDD51", "/m/System.Buffers.dll")]
    [InlineData("System.Buffers, PublicKeyToken=cc7b13ffcd2ddd51", "/m/System.Buffers.dll")]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", "/m/System.Runtime.CompilerServices.Unsafe.dll")]
    [InlineData("ZAi.PowerShell, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", "/m/ZAi.PowerShell.dll")]
    public void ASameOrOlderVersionOfAShippedAssemblyGetsTheShippedFile(string requested, string expected)
    {
        Assert.Equal(expected, DependencyResolver.Resolve(requested, Folder)?.Path);
    }

    [Theory]
    [InlineData("System.Buffers, Version=4.0.4.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")] // newer than shipped
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=7.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=0123456789abcdef")] // another publisher
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=null")] // unsigned impostor
    [InlineData("System.Buffers")] // no token: not provably the same assembly
    [InlineData("ZAi.PowerShell, Version=0.1.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")] // token where the shipped one has none
    [InlineData("System.Buffers.resources, Version=4.0.2.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")] // satellite: none shipped
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")] // not shipped
    [InlineData("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")]
    public void AnythingElseGetsNothing(string requested)
    {
        Assert.Null(DependencyResolver.Resolve(requested, Folder));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("System.Buffers, Version=banana, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Buffers, Version=4.0.2.0, PublicKeyToken=xyz")]
    [InlineData(", Version=4.0.2.0")]
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51, Version=1.0.0.0")]
    [InlineData("..\\System.Buffers, Version=4.0.2.0, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("../System.Buffers, Version=4.0.2.0, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("C:\\Windows\\System.Buffers, Version=4.0.2.0, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("sub/System.Buffers, Version=4.0.2.0, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("System.Buffers\0, Version=4.0.2.0, PublicKeyToken=cc7b13ffcd2ddd51")]
    public void AMalformedOrPathLikeNameGetsNothing(string? requested)
    {
        Assert.Null(DependencyResolver.Resolve(requested, Folder));
    }

    [Fact]
    public void APathLikeNameIsRefusedEvenWhenAShippedNameMatchesIt()
    {
        // A folder listing cannot hold such a name, but the resolver must not depend on that.
        var odd = new ShippedAssembly("..\\System.Buffers", new Version(4, 0, 3, 0), Msft, "/elsewhere/System.Buffers.dll");
        var requested = new System.Reflection.AssemblyName { Name = "..\\System.Buffers", Version = new Version(4, 0, 2, 0) };
        requested.SetPublicKeyToken(Convert.FromHexString(Msft));
        Assert.Null(DependencyResolver.Resolve(requested, new[] { odd }));
    }

    [Fact]
    public void AnEmptyFolderAnswersNothing()
    {
        Assert.Null(DependencyResolver.Resolve("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", Array.Empty<ShippedAssembly>()));
    }
}
