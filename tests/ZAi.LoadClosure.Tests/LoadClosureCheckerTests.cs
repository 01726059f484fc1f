using System.Reflection;
using System.Reflection.Emit;
using Xunit;
using Xunit.Abstractions;

namespace ZAi.LoadClosure.Tests;

/// <summary>The check can fail: folders that would not load, as identities and as real dlls on disk.</summary>
public sealed class LoadClosureCheckerTests(ITestOutputHelper output) : IDisposable
{
    private const string Msft = "cc7b13ffcd2ddd51";
    private const string Other = "0123456789abcdef";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-closure-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static AssemblyIdentity Id(string name, string version, string token = Msft) => new(name, Version.Parse(version), token);

    private static ModuleAssembly Dll(AssemblyIdentity identity, params AssemblyIdentity[] references) => new(identity, "/module/" + identity.Name + ".dll", references);

    private static TargetRuntime Runtime(BindingRule rule, params AssemblyIdentity[] framework) => new(
        rule == BindingRule.SameOrNewer ? ".NET test" : ".NET Framework test",
        rule,
        framework.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase),
        TargetRuntime.HostAssemblies(new Version(3, 0, 0, 0)));

    private static ReferenceBinding Single(IReadOnlyList<ReferenceBinding> bindings, string reference) => Assert.Single(bindings, b => b.Reference.Name == reference);

    // ---- the pure check -----------------------------------------------------------------------

    [Theory]
    [InlineData(BindingRule.ExactOrModuleResolver)]
    [InlineData(BindingRule.SameOrNewer)]
    public void AMissingAssemblyFails(BindingRule rule)
    {
        var folder = new[] { Dll(Id("System.Memory", "4.0.1.2"), Id("System.Buffers", "4.0.2.0")) };
        var binding = Single(LoadClosureChecker.Check(folder, Runtime(rule)), "System.Buffers");
        Assert.False(binding.Loads);
        Assert.Equal("not in the module folder", binding.Failure);
    }

    [Theory]
    [InlineData(BindingRule.ExactOrModuleResolver)]
    [InlineData(BindingRule.SameOrNewer)]
    public void AShippedAssemblyOlderThanAskedForFails(BindingRule rule)
    {
        var folder = new[] { Dll(Id("System.Memory", "4.0.1.2"), Id("System.Buffers", "4.0.2.0")), Dll(Id("System.Buffers", "4.0.1.0")) };
        var binding = Single(LoadClosureChecker.Check(folder, Runtime(rule)), "System.Buffers");
        Assert.Equal("the module folder's copy is 4.0.1.0, older than the 4.0.2.0 asked for", binding.Failure);
    }

    [Theory]
    [InlineData(BindingRule.ExactOrModuleResolver)]
    [InlineData(BindingRule.SameOrNewer)]
    public void AShippedAssemblyWithAnotherPublicKeyTokenFails(BindingRule rule)
    {
        var folder = new[] { Dll(Id("System.Memory", "4.0.1.2"), Id("System.Buffers", "4.0.2.0")), Dll(Id("System.Buffers", "4.0.3.0", Other)) };
        var binding = Single(LoadClosureChecker.Check(folder, Runtime(rule)), "System.Buffers");
        Assert.Equal($"the module folder's copy has public key token '{Other}', not '{Msft}'", binding.Failure);
    }

    [Fact]
    public void OnNetFrameworkANewerShippedVersionLoadsThroughTheModulesResolver()
    {
        var folder = new[] { Dll(Id("System.Memory", "4.0.1.2"), Id("System.Buffers", "4.0.2.0")), Dll(Id("System.Buffers", "4.0.3.0")) };
        var binding = Single(LoadClosureChecker.Check(folder, Runtime(BindingRule.ExactOrModuleResolver)), "System.Buffers");
        Assert.Null(binding.Failure);
        Assert.Equal("module folder 4.0.3.0, by the module's resolver", binding.ResolvesTo);
    }

    [Fact]
    public void OnNetFrameworkAnExactMatchNeedsNoResolver()
    {
        var folder = new[] { Dll(Id("System.Memory", "4.0.1.2"), Id("System.Buffers", "4.0.3.0")), Dll(Id("System.Buffers", "4.0.3.0")) };
        Assert.Equal("module folder 4.0.3.0", Single(LoadClosureChecker.Check(folder, Runtime(BindingRule.ExactOrModuleResolver)), "System.Buffers").ResolvesTo);
    }

    [Fact]
    public void OnNetFrameworkTheFrameworksOwnVersionWinsWhenItIsNewEnough()
    {
        var folder = new[] { Dll(Id("ZAi.PowerShell", "0.1.0.0", ""), Id("netstandard", "2.0.0.0", "b77a5c561934e089")) };
        var binding = Single(LoadClosureChecker.Check(folder, Runtime(BindingRule.ExactOrModuleResolver, Id("netstandard", "2.0.0.0", "b77a5c561934e089"))), "netstandard");
        Assert.Equal("framework 2.0.0.0", binding.ResolvesTo);
        Assert.True(binding.Loads);
    }

    [Fact]
    public void OnNetFrameworkAReferenceNewerThanTheFrameworkFallsToTheFolder()
    {
        var runtime = Runtime(BindingRule.ExactOrModuleResolver, Id("System.Numerics.Vectors", "4.0.0.0", "b03f5f7f11d50a3a"));
        var asks = Dll(Id("System.Memory", "4.0.1.2"), Id("System.Numerics.Vectors", "4.1.3.0", "b03f5f7f11d50a3a"));

        var loads = Single(LoadClosureChecker.Check(new[] { asks, Dll(Id("System.Numerics.Vectors", "4.1.3.0", "b03f5f7f11d50a3a")) }, runtime), "System.Numerics.Vectors");
        Assert.Equal("module folder 4.1.3.0", loads.ResolvesTo);

        var fails = Single(LoadClosureChecker.Check(new[] { asks }, runtime), "System.Numerics.Vectors");
        Assert.Equal("newer than the 4.0.0.0 .NET Framework test has, and not in the module folder", fails.Failure);
    }

    [Fact]
    public void OnNetAReferenceNewerThanTheFrameworkFailsEvenWhenTheFolderShipsIt()
    {
        // System.Text.Json 9 on PowerShell 7.4: .NET 8's own 8.0 wins and the load fails.
        var runtime = Runtime(BindingRule.SameOrNewer, Id("System.Text.Json", "8.0.0.0"));
        var folder = new[] { Dll(Id("ZAi.PowerShell", "0.1.0.0", ""), Id("System.Text.Json", "9.0.0.0")), Dll(Id("System.Text.Json", "9.0.0.0")) };
        var binding = Single(LoadClosureChecker.Check(folder, runtime), "System.Text.Json");
        Assert.Equal("asks for 9.0.0.0, newer than the 8.0.0.0 .NET test has", binding.Failure);
    }

    [Fact]
    public void OnNetANewerShippedVersionSatisfiesAReference()
    {
        var folder = new[] { Dll(Id("System.Text.Json", "8.0.0.0"), Id("Microsoft.Bcl.AsyncInterfaces", "8.0.0.0")), Dll(Id("Microsoft.Bcl.AsyncInterfaces", "9.0.0.0")) };
        Assert.True(Single(LoadClosureChecker.Check(folder, Runtime(BindingRule.SameOrNewer)), "Microsoft.Bcl.AsyncInterfaces").Loads);
    }

    [Theory]
    [InlineData("3.0.0.0", "31bf3856ad364e35", null)]
    [InlineData("7.0.0.0", "31bf3856ad364e35", "asks for 7.0.0.0, newer than PowerShell's 3.0.0.0")]
    [InlineData("3.0.0.0", Other, "PowerShell's System.Management.Automation has public key token 31bf3856ad364e35, not " + Other)]
    public void PowerShellProvidesSystemManagementAutomation(string version, string token, string? failure)
    {
        var folder = new[] { Dll(Id("ZAi.PowerShell", "0.1.0.0", ""), Id("System.Management.Automation", version, token)) };
        Assert.Equal(failure, Single(LoadClosureChecker.Check(folder, Runtime(BindingRule.ExactOrModuleResolver)), "System.Management.Automation").Failure);
    }

    // ---- real dlls on disk ----------------------------------------------------------------------

    [Fact]
    public void TheReaderReadsTheModulesIdentityAndReferences()
    {
        var module = MetadataFile.Read(Path.Combine(ModuleFolder.Path, "ZAi.PowerShell.dll"));
        Assert.Equal("ZAi.PowerShell", module.Identity.Name);
        Assert.Equal(string.Empty, module.Identity.Token);
        var json = Assert.Single(module.References, r => r.Name == "System.Text.Json");
        Assert.Equal(Msft, json.Token);
        Assert.Equal(8, json.Version.Major);
    }

    [Fact]
    public void AModuleFolderMissingADependencyFailsTheCheck()
    {
        var folder = CopyOfModuleFolder();
        File.Delete(Path.Combine(folder, "System.Buffers.dll"));

        var failures = FailuresOn(folder, TargetRuntime.WindowsPowerShell51());

        Assert.Contains(failures, b => b.AskedBy == "System.Memory" && b.Reference.Name == "System.Buffers" && b.Failure == "not in the module folder");
        Assert.Contains(failures, b => b.AskedBy == "System.Text.Json" && b.Reference.Name == "System.Buffers");
    }

    [Fact]
    public void AModuleFolderShippingAnOlderDependencyThanAskedForFailsTheCheck()
    {
        // A real System.Buffers.dll, version 4.0.1.0 with Microsoft's public key, where System.Memory asks for 4.0.2.0.
        var folder = CopyOfModuleFolder();
        var buffers = Path.Combine(folder, "System.Buffers.dll");
        var original = AssemblyName.GetAssemblyName(buffers);
        File.Delete(buffers);
        WriteAssembly(buffers, "System.Buffers", new Version(4, 0, 1, 0), original.GetPublicKey()!);
        Assert.Equal(new Version(4, 0, 1, 0), AssemblyName.GetAssemblyName(buffers).Version);

        var failures = FailuresOn(folder, TargetRuntime.WindowsPowerShell51());

        var failure = Assert.Single(failures, b => b.AskedBy == "System.Memory");
        Assert.Equal("System.Buffers", failure.Reference.Name);
        Assert.Equal("the module folder's copy is 4.0.1.0, older than the 4.0.2.0 asked for", failure.Failure);
    }

    private IReadOnlyList<ReferenceBinding> FailuresOn(string folder, TargetRuntime runtime)
    {
        var bindings = LoadClosureChecker.Check(MetadataFile.ReadFolder(folder), runtime);
        output.WriteLine(LoadClosureReport.Format(runtime, folder, bindings));
        return bindings.Where(b => !b.Loads).ToList();
    }

    private string CopyOfModuleFolder()
    {
        Directory.CreateDirectory(_root);
        foreach (var file in Directory.GetFiles(ModuleFolder.Path, "*.dll"))
        {
            File.Copy(file, Path.Combine(_root, Path.GetFileName(file)));
        }
        return _root;
    }

    private static void WriteAssembly(string path, string name, Version version, byte[] publicKey)
    {
        var identity = new AssemblyName(name) { Version = version };
        identity.SetPublicKey(publicKey);
        var builder = new PersistedAssemblyBuilder(identity, typeof(object).Assembly);
        builder.DefineDynamicModule(name).DefineType("Placeholder", TypeAttributes.Public).CreateType();
        builder.Save(path);
    }
}
