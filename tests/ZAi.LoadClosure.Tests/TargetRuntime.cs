using System.Reflection;

namespace ZAi.LoadClosure.Tests;

public enum BindingRule
{
    /// <summary>.NET Framework: a strong-named assembly outside the framework binds only at its exact version, unless the module's resolver answers.</summary>
    ExactOrModuleResolver,

    /// <summary>.NET: the same or a newer version satisfies a reference; the framework's own assemblies win and cannot be replaced.</summary>
    SameOrNewer,
}

/// <summary>A PowerShell to load the module in: its framework's assemblies, the assemblies PowerShell itself provides, and how it binds.</summary>
public sealed record TargetRuntime(string Label, BindingRule Rule, IReadOnlyDictionary<string, AssemblyIdentity> Framework, IReadOnlyDictionary<string, AssemblyIdentity> Host)
{
    private const string PowerShellToken = "31bf3856ad364e35";

    /// <summary>Windows PowerShell 5.1 on .NET Framework 4.7.2 (the manifest's DotNetFrameworkVersion).</summary>
    public static TargetRuntime WindowsPowerShell51() => new(
        "Windows PowerShell 5.1 (.NET Framework 4.7.2)",
        BindingRule.ExactOrModuleResolver,
        ReadReferenceAssemblies(PackageFolder("Net472ReferenceAssemblies"), SearchOption.AllDirectories),
        HostAssemblies(new Version(3, 0, 0, 0)));

    /// <summary>PowerShell 7.4 LTS on .NET 8, the oldest PowerShell 7 the module supports.</summary>
    public static TargetRuntime PowerShell74() => new(
        "PowerShell 7.4 (.NET 8)",
        BindingRule.SameOrNewer,
        ReadReferenceAssemblies(PackageFolder("Net8ReferencePack"), SearchOption.TopDirectoryOnly),
        HostAssemblies(new Version(7, 4, 0, 0)));

    /// <summary>System.Management.Automation is PowerShell itself: 3.0.0.0 in Windows PowerShell 5.1, 7.4.0.0 in PowerShell 7.4.</summary>
    public static IReadOnlyDictionary<string, AssemblyIdentity> HostAssemblies(Version automation) =>
        new Dictionary<string, AssemblyIdentity>(StringComparer.OrdinalIgnoreCase)
        {
            ["System.Management.Automation"] = new("System.Management.Automation", automation, PowerShellToken),
        };

    private static IReadOnlyDictionary<string, AssemblyIdentity> ReadReferenceAssemblies(string folder, SearchOption search)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The reference assemblies are not at '{folder}'; restore this project (dotnet restore) to download them.");
        }
        var framework = new Dictionary<string, AssemblyIdentity>(StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in MetadataFile.ReadFolder(folder, search))
        {
            framework[assembly.Identity.Name] = assembly.Identity;
        }
        return framework;
    }

    private static string PackageFolder(string key) =>
        typeof(TargetRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
