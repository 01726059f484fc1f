using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;

namespace ZAi.PowerShell.Loading
{
    /// <summary>
    /// The AppDomain.AssemblyResolve handler of the module on .NET Framework: answers a failed load with the
    /// module folder's copy when <see cref="DependencyResolver"/> says it is the same assembly at the same or a
    /// newer version. It never throws (an exception from an AssemblyResolve handler breaks the load that raised
    /// it for every module), loads only from the module's own folder, and loads each file once.
    /// </summary>
    internal sealed class ModuleFolderResolver
    {
        private readonly Lazy<IReadOnlyList<ShippedAssembly>> _shipped;
        private readonly Func<string, Assembly> _load;
        private readonly ConcurrentDictionary<string, Assembly> _loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        public ModuleFolderResolver(string folder)
            : this(folder, Assembly.LoadFrom)
        {
        }

        /// <param name="load">Loads an assembly file; tests pass their own.</param>
        internal ModuleFolderResolver(string folder, Func<string, Assembly> load)
        {
            Folder = folder;
            _load = load;
            // Read on the first failed load, not at import, so importing stays cheap.
            _shipped = new Lazy<IReadOnlyList<ShippedAssembly>>(() => ShippedAssembly.ReadFolder(folder));
        }

        public string Folder { get; }

        public Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
        {
            try
            {
                var match = DependencyResolver.Resolve(args.Name, _shipped.Value);
                return match is null ? null : _loaded.GetOrAdd(match.Path, _load);
            }
            catch (Exception)
            {
                // Returning null lets the load fail as it would have without this handler.
                return null;
            }
        }
    }
}
