using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ZAi.LoadClosure.Tests;

/// <summary>Reads identities and assembly references from dll metadata, without loading anything.</summary>
public static class MetadataFile
{
    public static ModuleAssembly Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var identity = Identity(reader.GetAssemblyDefinition().GetAssemblyName());
        var references = reader.AssemblyReferences.Select(handle => Identity(reader.GetAssemblyReference(handle).GetAssemblyName())).ToList();
        return new ModuleAssembly(identity, path, references);
    }

    /// <summary>Every assembly in <paramref name="folder"/>'s *.dll files; other files are left out.</summary>
    public static IReadOnlyList<ModuleAssembly> ReadFolder(string folder, SearchOption search = SearchOption.TopDirectoryOnly)
    {
        var assemblies = new List<ModuleAssembly>();
        foreach (var file in Directory.GetFiles(folder, "*.dll", search).OrderBy(f => f, StringComparer.Ordinal))
        {
            try
            {
                assemblies.Add(Read(file));
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is InvalidOperationException)
            {
                // Not a managed assembly.
            }
        }
        return assemblies;
    }

    public static AssemblyIdentity Identity(AssemblyName name)
    {
        var token = name.GetPublicKeyToken();
        return new AssemblyIdentity(name.Name!, name.Version ?? new Version(0, 0, 0, 0), token is null ? string.Empty : Convert.ToHexString(token).ToLowerInvariant());
    }
}
