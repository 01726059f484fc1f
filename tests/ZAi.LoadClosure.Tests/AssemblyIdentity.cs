namespace ZAi.LoadClosure.Tests;

/// <summary>An assembly's identity as a binder sees it: name, version and public key token (lower-case hex, empty when none).</summary>
public sealed record AssemblyIdentity(string Name, Version Version, string Token)
{
    public override string ToString() => $"{Name} {Version}";
}

/// <summary>One dll of the module folder: who it is and what it asks for.</summary>
public sealed record ModuleAssembly(AssemblyIdentity Identity, string File, IReadOnlyList<AssemblyIdentity> References);
