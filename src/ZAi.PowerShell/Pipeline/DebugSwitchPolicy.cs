using System;
using System.Collections.Generic;
using System.Linq;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Whether <c>-Debug</c> prints without asking. PowerShell maps <c>-Debug</c> on a compiled cmdlet to
    /// Inquire for verbose and warning messages (and, on Windows PowerShell 5.1, for debug messages too), so
    /// every line would prompt and a non-interactive host would fail. On PowerShell 6+ <c>-Debug</c> means
    /// "print" as it does for scripts; on 5.1 it keeps its documented Inquire only where someone can answer.
    /// </summary>
    internal static class DebugSwitchPolicy
    {
        private static readonly string[] NonInteractiveHosts = { "ServerRemoteHost", "Default Host" };

        /// <param name="powerShellMajor">The major version of the running PowerShell (5 for Windows PowerShell).</param>
        /// <param name="hostCanPrompt">Whether a person can answer a prompt (see <see cref="HostCanPrompt"/>).</param>
        public static bool PrintsWithoutAsking(int powerShellMajor, bool hostCanPrompt) =>
            powerShellMajor >= 6 || !hostCanPrompt;

        /// <summary>False for -NonInteractive, a process that is not user-interactive, and the hosts of jobs and remoting.</summary>
        public static bool HostCanPrompt(string? hostName, IEnumerable<string> commandLine, bool userInteractive)
        {
            if (!userInteractive) return false;
            if (hostName != null && NonInteractiveHosts.Contains(hostName, StringComparer.OrdinalIgnoreCase)) return false;
            // powershell.exe accepts any unambiguous prefix of -NonInteractive from -noni on, with - or /.
            return !commandLine.Any(IsNonInteractiveSwitch);
        }

        private static bool IsNonInteractiveSwitch(string argument)
        {
            if (argument.Length < 5 || (argument[0] != '-' && argument[0] != '/')) return false;
            var name = argument.Substring(1);
            return name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase);
        }
    }
}
