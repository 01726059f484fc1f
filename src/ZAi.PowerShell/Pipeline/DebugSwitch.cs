using System;
using System.Management.Automation;
using System.Reflection;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Makes <c>-Debug</c> print debug, verbose and warning messages instead of asking before each one (see
    /// <see cref="DebugSwitchPolicy"/>). The preferences live on PowerShell's command runtime, whose setters
    /// are internal; when they cannot be reached the command keeps PowerShell's own behaviour.
    /// </summary>
    internal static class DebugSwitch
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        public static void Apply(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (!IsOn(bound, "Debug")) return;
            var major = typeof(PSObject).Assembly.GetName().Version.Major;   // 3 on Windows PowerShell 5.1, 7 on PowerShell 7
            var canPrompt = DebugSwitchPolicy.HostCanPrompt(cmdlet.Host?.Name, Environment.GetCommandLineArgs(), Environment.UserInteractive);
            if (!DebugSwitchPolicy.PrintsWithoutAsking(major, canPrompt)) return;

            var runtime = cmdlet.CommandRuntime;
            Set(runtime, "DebugPreference", ActionPreference.Continue);
            if (!bound.ContainsKey("Verbose")) Set(runtime, "Verbose", true);
            if (!bound.ContainsKey("WarningAction")) Set(runtime, "WarningPreference", SessionWarningPreference(cmdlet));
            if (!bound.ContainsKey("Confirm") && !SessionWouldConfirm(cmdlet)) Set(runtime, "Confirm", new SwitchParameter(false));
        }

        private static bool IsOn(System.Collections.Generic.Dictionary<string, object> bound, string name) =>
            bound.TryGetValue(name, out var value) && value switch { SwitchParameter s => s.IsPresent, bool b => b, _ => false };

        private static ActionPreference SessionWarningPreference(PSCmdlet cmdlet) =>
            LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue("WarningPreference"), out ActionPreference preference)
                ? preference : ActionPreference.Continue;

        /// <summary>Whether $ConfirmPreference alone would make this command ask; then -Debug keeps asking too.</summary>
        private static bool SessionWouldConfirm(PSCmdlet cmdlet)
        {
            var attribute = cmdlet.GetType().GetCustomAttribute<CmdletAttribute>();
            if (attribute is null || !attribute.SupportsShouldProcess) return false;
            if (!LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue("ConfirmPreference"), out ConfirmImpact preference)) preference = ConfirmImpact.High;
            return preference != ConfirmImpact.None && attribute.ConfirmImpact >= preference;
        }

        private static void Set(object runtime, string property, object value)
        {
            try
            {
                var info = runtime.GetType().GetProperty(property, Instance);
                if (info?.SetMethod is null) return;
                info.SetValue(runtime, info.PropertyType == value.GetType() ? value : LanguagePrimitives.ConvertTo(value, info.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is ArgumentException || ex is PSInvalidCastException || ex is MethodAccessException)
            {
                // An unknown PowerShell version: keep its behaviour rather than fail the command.
            }
        }
    }
}
