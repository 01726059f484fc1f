using System;
using System.Runtime.InteropServices;

namespace ZAi.PowerShell.Loading
{
    /// <summary>Whether this process runs on .NET Framework (Windows PowerShell 5.1) rather than .NET (PowerShell 7) or Mono.</summary>
    internal static class NetFramework
    {
        public static bool IsCurrent { get; } = Is(RuntimeInformation.FrameworkDescription);

        /// <summary>True for a FrameworkDescription such as ".NET Framework 4.8.9181.0".</summary>
        public static bool Is(string? frameworkDescription) =>
            frameworkDescription != null && frameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
    }
}
