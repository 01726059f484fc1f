using Xunit;
using Xunit.Abstractions;

namespace ZAi.LoadClosure.Tests;

/// <summary>The check itself: the built module folder loads on Windows PowerShell 5.1 and on PowerShell 7.4.</summary>
public sealed class ModuleFolderTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryReferenceResolvesOnWindowsPowerShell51() => AssertLoads(TargetRuntime.WindowsPowerShell51());

    [Fact]
    public void EveryReferenceResolvesOnPowerShell74() => AssertLoads(TargetRuntime.PowerShell74());

    [Fact]
    public void TheFolderShipsOnlyWhatIsLoaded()
    {
        // Every dll but the module's own is asked for by another dll of the folder; an unused one is dead weight.
        var folder = MetadataFile.ReadFolder(ModuleFolder.Path);
        var asked = folder.SelectMany(a => a.References).Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unused = folder.Select(a => a.Identity.Name).Where(n => n != "ZAi.PowerShell" && !asked.Contains(n)).ToList();
        Assert.Empty(unused);
    }

    private void AssertLoads(TargetRuntime runtime)
    {
        var folder = ModuleFolder.Path;
        var assemblies = MetadataFile.ReadFolder(folder);
        Assert.Contains(assemblies, a => a.Identity.Name == "ZAi.PowerShell");
        var bindings = LoadClosureChecker.Check(assemblies, runtime);
        output.WriteLine(LoadClosureReport.Format(runtime, folder, bindings));
        Assert.Empty(bindings.Where(b => !b.Loads).Select(b => $"{b.AskedBy} -> {b.Reference}: {b.Failure}"));
    }
}
