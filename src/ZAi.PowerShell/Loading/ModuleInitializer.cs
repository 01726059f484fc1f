using System;
using System.IO;
using System.Management.Automation;

namespace ZAi.PowerShell.Loading
{
    /// <summary>
    /// Runs when PowerShell imports and removes the module. On .NET Framework (Windows PowerShell 5.1) it
    /// registers the module folder's assembly resolver and turns on TLS 1.2; on PowerShell 7 it does nothing.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static ModuleFolderResolver? _registered;

        /// <summary>Called by Import-Module.</summary>
        public void OnImport()
        {
            if (!NetFramework.IsCurrent) return;
            try
            {
                lock (Gate)
                {
                    // Import-Module -Force imports again into the same AppDomain: register once.
                    if (_registered is null)
                    {
                        var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location);
                        if (!string.IsNullOrEmpty(folder))
                        {
                            _registered = new ModuleFolderResolver(folder!);
                            AppDomain.CurrentDomain.AssemblyResolve += _registered.OnAssemblyResolve;
                        }
                    }
                }
                TlsProtocols.EnableTls12();
            }
            catch (Exception)
            {
                // Import must not fail here; without the handler a dependency load fails with its own message.
            }
        }

        /// <summary>Called by Remove-Module.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                if (_registered is null) return;
                AppDomain.CurrentDomain.AssemblyResolve -= _registered.OnAssemblyResolve;
                _registered = null;
            }
        }
    }
}
