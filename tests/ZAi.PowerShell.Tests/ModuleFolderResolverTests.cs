using System.Reflection;
using ZAi.PowerShell.Loading;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>The AssemblyResolve handler over a real folder of dlls, with the load itself recorded instead of done.</summary>
public sealed class ModuleFolderResolverTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-resolver-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _loads = new();

    public ModuleFolderResolverTests()
    {
        Directory.CreateDirectory(_folder);
        // Signed (xunit.assert, token 8d05b1bb7a6fdb6c) and unsigned (ZAi.PowerShell) assemblies, and a file that is no assembly.
        foreach (var name in new[] { "xunit.assert.dll", "ZAi.PowerShell.dll" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, name), Path.Combine(_folder, name));
        }
        File.WriteAllText(Path.Combine(_folder, "notes.dll"), "not an assembly");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string XunitAssert(string version) => $"xunit.assert, Version={version}, Culture=neutral, PublicKeyToken=8d05b1bb7a6fdb6c";

    private static Version ShippedXunitVersion => AssemblyName.GetAssemblyName(Path.Combine(AppContext.BaseDirectory, "xunit.assert.dll")).Version!;

    private ModuleFolderResolver Resolver(Func<string, Assembly>? load = null) => new(_folder, load ?? (path =>
    {
        _loads.Add(path);
        return typeof(Assert).Assembly;
    }));

    private static ResolveEventArgs Args(string name) => new(name);

    [Fact]
    public void AnOlderRequestLoadsTheFolderCopyOnceAndThenFromTheCache()
    {
        var resolver = Resolver();

        var first = resolver.OnAssemblyResolve(null, Args(XunitAssert("1.0.0.0")));
        var second = resolver.OnAssemblyResolve(null, Args(XunitAssert(ShippedXunitVersion.ToString())));

        Assert.Same(typeof(Assert).Assembly, first);
        Assert.Same(first, second);
        Assert.Equal(new[] { Path.Combine(_folder, "xunit.assert.dll") }, _loads);
    }

    [Fact]
    public void ANewerRequestThanShippedIsNotAnswered()
    {
        var newer = new Version(ShippedXunitVersion.Major + 1, 0, 0, 0);
        Assert.Null(Resolver().OnAssemblyResolve(null, Args(XunitAssert(newer.ToString()))));
        Assert.Empty(_loads);
    }

    [Fact]
    public void OnlyTheModuleFolderIsSearched()
    {
        // xunit.core.dll is beside the tests, not in the module folder.
        Assert.Null(Resolver().OnAssemblyResolve(null, Args("xunit.core, Version=2.0.0.0, Culture=neutral, PublicKeyToken=8d05b1bb7a6fdb6c")));
        Assert.Null(Resolver().OnAssemblyResolve(null, Args("notes, Version=1.0.0.0")));
        Assert.Empty(_loads);
    }

    [Fact]
    public void AnUnsignedShippedAssemblyAnswersAnUnsignedRequest()
    {
        Assert.NotNull(Resolver().OnAssemblyResolve(null, Args("ZAi.PowerShell, Version=0.0.0.1, Culture=neutral, PublicKeyToken=null")));
        Assert.Equal(new[] { Path.Combine(_folder, "ZAi.PowerShell.dll") }, _loads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("xunit.assert, Version=x")]
    [InlineData("..\\xunit.assert, Version=1.0.0.0, Culture=neutral, PublicKeyToken=8d05b1bb7a6fdb6c")]
    public void AMalformedRequestIsNotAnswered(string name)
    {
        Assert.Null(Resolver().OnAssemblyResolve(null, Args(name)));
        Assert.Empty(_loads);
    }

    [Fact]
    public void AFailingLoadIsNotAnsweredAndDoesNotThrow()
    {
        var resolver = Resolver(_ => throw new BadImageFormatException("broken"));
        Assert.Null(resolver.OnAssemblyResolve(null, Args(XunitAssert("1.0.0.0"))));
    }

    [Fact]
    public void AMissingFolderIsNotAnsweredAndDoesNotThrow()
    {
        var resolver = new ModuleFolderResolver(Path.Combine(_folder, "gone"), _ => throw new InvalidOperationException("must not load"));
        Assert.Null(resolver.OnAssemblyResolve(null, Args(XunitAssert("1.0.0.0"))));
    }
}
