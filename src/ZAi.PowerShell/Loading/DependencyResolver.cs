using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace ZAi.PowerShell.Loading
{
    /// <summary>
    /// Which file of the module's folder answers a failed assembly load on .NET Framework. .NET Framework binds
    /// strong-named assemblies by exact version and powershell.exe has no binding redirects for modules, so a
    /// dependency that asks for System.Buffers 4.0.2.0 fails when the folder ships 4.0.3.0. The module's own copy
    /// is the answer when it is the same assembly (name and public key token) at the same or a newer version:
    /// what a binding redirect in an application's config file would do.
    /// </summary>
    internal static class DependencyResolver
    {
        private static readonly char[] PathCharacters = { '/', '\\', ':' };

        /// <summary>The shipped assembly to load for the display name <paramref name="requested"/>, or null.</summary>
        public static ShippedAssembly? Resolve(string? requested, IEnumerable<ShippedAssembly> shipped)
        {
            if (string.IsNullOrWhiteSpace(requested)) return null;
            AssemblyName name;
            try
            {
                name = new AssemblyName(requested);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FileLoadException || ex is FormatException)
            {
                return null;
            }
            return Resolve(name, shipped);
        }

        /// <summary>The shipped assembly to load for <paramref name="requested"/>, or null.</summary>
        public static ShippedAssembly? Resolve(AssemblyName requested, IEnumerable<ShippedAssembly> shipped)
        {
            var name = requested.Name;
            if (string.IsNullOrWhiteSpace(name) || !IsPlainName(name!)) return null;
            // The module ships no satellite (resource) assemblies; a culture-specific request is never ours.
            if (!string.IsNullOrEmpty(requested.CultureName)) return null;
            var token = ShippedAssembly.TokenOf(requested);
            foreach (var candidate in shipped)
            {
                if (!string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
                if (!string.Equals(candidate.PublicKeyToken, token, StringComparison.Ordinal)) continue;
                if (requested.Version != null && candidate.Version < requested.Version) continue;
                return candidate;
            }
            return null;
        }

        /// <summary>A simple assembly name, not something that could point at another folder.</summary>
        private static bool IsPlainName(string name)
        {
            return name.IndexOfAny(PathCharacters) < 0
                && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
                && name.IndexOf("..", StringComparison.Ordinal) < 0
                && name.Trim() == name;
        }
    }
}
