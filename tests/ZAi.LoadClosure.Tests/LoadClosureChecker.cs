using ZAi.PowerShell.Loading;

namespace ZAi.LoadClosure.Tests;

/// <summary>How one reference of one module dll resolves; <see cref="Failure"/> is null when it loads.</summary>
public sealed record ReferenceBinding(string AskedBy, AssemblyIdentity Reference, string ResolvesTo, string? Failure)
{
    public bool Loads => Failure is null;
}

/// <summary>
/// The load closure of a module folder on one runtime: every reference of every dll in the folder must resolve to
/// PowerShell itself, the framework, or a dll of the folder, under that runtime's binding rule. A pure function
/// over identities, so tests can feed it folders that would fail.
/// </summary>
public static class LoadClosureChecker
{
    public static IReadOnlyList<ReferenceBinding> Check(IReadOnlyList<ModuleAssembly> folder, TargetRuntime runtime)
    {
        var shipped = folder.Select(a => new ShippedAssembly(a.Identity.Name, a.Identity.Version, a.Identity.Token, a.File)).ToList();
        var bindings = new List<ReferenceBinding>();
        foreach (var assembly in folder)
        {
            foreach (var reference in assembly.References)
            {
                var (resolvesTo, failure) = Resolve(reference, folder, shipped, runtime);
                bindings.Add(new ReferenceBinding(assembly.Identity.Name, reference, resolvesTo, failure));
            }
        }
        return bindings;
    }

    private static (string ResolvesTo, string? Failure) Resolve(AssemblyIdentity reference, IReadOnlyList<ModuleAssembly> folder, IReadOnlyList<ShippedAssembly> shipped, TargetRuntime runtime)
    {
        if (runtime.Host.TryGetValue(reference.Name, out var host))
        {
            if (host.Token != reference.Token) return ("PowerShell", $"PowerShell's {host.Name} has public key token {host.Token}, not {reference.Token}");
            return host.Version >= reference.Version
                ? ($"PowerShell {host.Version}", null)
                : ($"PowerShell {host.Version}", $"asks for {reference.Version}, newer than PowerShell's {host.Version}");
        }

        var inFramework = runtime.Framework.TryGetValue(reference.Name, out var framework);
        if (inFramework && framework!.Token == reference.Token && framework.Version >= reference.Version)
        {
            return ($"framework {framework.Version}", null);
        }
        if (inFramework && runtime.Rule == BindingRule.SameOrNewer)
        {
            // .NET's own assemblies are on the trusted platform list: a module cannot bring a newer one.
            return ($"framework {framework!.Version}", framework.Token != reference.Token
                ? $"the framework's {framework.Name} has public key token {framework.Token}, not {reference.Token}"
                : $"asks for {reference.Version}, newer than the {framework.Version} {runtime.Label} has");
        }

        var sameName = folder.Where(a => string.Equals(a.Identity.Name, reference.Name, StringComparison.OrdinalIgnoreCase)).Select(a => a.Identity).ToList();
        var exact = sameName.FirstOrDefault(a => a.Token == reference.Token && a.Version == reference.Version);
        if (exact != null) return ($"module folder {exact.Version}", null);

        if (runtime.Rule == BindingRule.SameOrNewer)
        {
            var newer = sameName.FirstOrDefault(a => a.Token == reference.Token && a.Version > reference.Version);
            if (newer != null) return ($"module folder {newer.Version}", null);
        }
        else
        {
            var answer = DependencyResolver.Resolve(ToAssemblyName(reference), shipped);
            if (answer != null) return ($"module folder {answer.Version}, by the module's resolver", null);
        }

        var what = inFramework ? $"newer than the {framework!.Version} {runtime.Label} has, and " : string.Empty;
        if (sameName.Count == 0) return ("nothing", what + "not in the module folder");
        var shippedOne = sameName[0];
        if (shippedOne.Token != reference.Token) return ($"module folder {shippedOne.Version}", what + $"the module folder's copy has public key token '{shippedOne.Token}', not '{reference.Token}'");
        if (shippedOne.Version < reference.Version) return ($"module folder {shippedOne.Version}", what + $"the module folder's copy is {shippedOne.Version}, older than the {reference.Version} asked for");
        // Only under exact binding, when the module's resolver does not answer.
        return ($"module folder {shippedOne.Version}", what + $"the module folder's copy is {shippedOne.Version}, not the exact {reference.Version} asked for, and the module's resolver does not answer");
    }

    private static System.Reflection.AssemblyName ToAssemblyName(AssemblyIdentity identity)
    {
        var name = new System.Reflection.AssemblyName(identity.Name) { Version = identity.Version, CultureName = string.Empty };
        name.SetPublicKeyToken(identity.Token.Length == 0 ? Array.Empty<byte>() : Convert.FromHexString(identity.Token));
        return name;
    }
}
