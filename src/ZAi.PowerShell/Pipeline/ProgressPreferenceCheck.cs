using System;
using System.Management.Automation;

namespace ZAi.PowerShell.Pipeline
{
    internal static class ProgressPreferenceCheck
    {
        /// <summary>False when $ProgressPreference is SilentlyContinue or Ignore: then no progress record is built at all.</summary>
        public static bool IsEnabled(PSCmdlet cmdlet)
        {
            var preference = cmdlet.GetVariableValue("ProgressPreference");
            if (preference is ActionPreference action)
            {
                return action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
            }
            var text = preference?.ToString();
            return !string.Equals(text, "SilentlyContinue", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(text, "Ignore", StringComparison.OrdinalIgnoreCase);
        }
    }
}
