using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace ZAi.PowerShell.Loading
{
    /// <summary>One assembly in the module's folder: its identity and its file.</summary>
    internal sealed class ShippedAssembly
    {
        public ShippedAssembly(string name, Version version, string publicKeyToken, string path)
        {
            Name = name;
            Version = version;
            PublicKeyToken = publicKeyToken.ToLowerInvariant();
            Path = path;
        }

        public string Name { get; }

        public Version Version { get; }

        /// <summary>Lower-case hex; empty for an assembly without a strong name.</summary>
        public string PublicKeyToken { get; }

        public string Path { get; }

        public override string ToString() => $"{Name} {Version} ({(PublicKeyToken.Length == 0 ? "no strong name" : PublicKeyToken)})";

        /// <summary>The identities of the *.dll files directly in <paramref name="folder"/>; files that are not assemblies are left out.</summary>
        public static IReadOnlyList<ShippedAssembly> ReadFolder(string folder)
        {
            var shipped = new List<ShippedAssembly>();
            if (!Directory.Exists(folder)) return shipped;
            foreach (var file in Directory.GetFiles(folder, "*.dll"))
            {
                try
                {
                    var name = AssemblyName.GetAssemblyName(file);
                    if (name.Name is null || name.Version is null) continue;
                    shipped.Add(new ShippedAssembly(name.Name, name.Version, TokenOf(name), file));
                }
                catch (Exception ex) when (ex is BadImageFormatException || ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException)
                {
                }
            }
            return shipped;
        }

        /// <summary>The public key token of <paramref name="name"/> as lower-case hex; empty when it has none.</summary>
        public static string TokenOf(AssemblyName name)
        {
            var token = name.GetPublicKeyToken();
            return token is null ? string.Empty : BitConverter.ToString(token).Replace("-", string.Empty).ToLowerInvariant();
        }
    }
}
