using System;
using System.Linq;
using System.Management.Automation;

namespace ZAi.PowerShell.Binding
{
    /// <summary>
    /// An optional parameter where an empty or blank value means "use the default": the blank cells of an
    /// Import-Csv row, or a property set to ''. With <see cref="AllowedValues"/> it also takes the place of
    /// ValidateSet (which refuses a blank), comparing without regard to case.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class BlankMeansDefaultAttribute : ArgumentTransformationAttribute
    {
        public BlankMeansDefaultAttribute()
        {
        }

        /// <param name="defaultValue">What a blank becomes, e.g. the default model; null otherwise.</param>
        public BlankMeansDefaultAttribute(string defaultValue)
        {
            DefaultValue = defaultValue;
        }

        public string? DefaultValue { get; }

        /// <summary>The values allowed besides a blank; empty allows any.</summary>
        public string[] AllowedValues { get; set; } = System.Array.Empty<string>();

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var raw = BindingValues.Unwrap(inputData);
            if (raw is string text && text.Trim().Length == 0) return DefaultValue;
            if (AllowedValues.Length == 0 || raw is null) return inputData;

            var value = BindingValues.AsText(inputData);
            var match = value is null ? null : AllowedValues.FirstOrDefault(allowed => string.Equals(allowed, value.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                throw new ArgumentTransformationMetadataException(
                    $"'{value ?? BindingValues.Describe(inputData)}' is not allowed; use one of: {string.Join(", ", AllowedValues)}, or leave it out (or the CSV cell blank) for the default.");
            }
            return raw is string ? match : inputData;
        }
    }
}
