using System;
using System.Management.Automation;

namespace ZAi.PowerShell.Binding
{
    /// <summary>
    /// A text parameter that refuses objects PowerShell would otherwise turn into text: a file piped to
    /// Start-ZAiVideoGeneration must not become its prompt (its path), nor its Size (on Linux, FileInfo.Size)
    /// the video's -Size. For a parameter taking pipeline input by value, PowerShell offers every piped object
    /// here first; an object with one of <see cref="RowProperties"/> is a row whose properties bind by name,
    /// so it is let through.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TextArgumentAttribute : ArgumentTransformationAttribute
    {
        public TextArgumentAttribute(string parameter, string expected)
        {
            Parameter = parameter;
            Expected = expected;
        }

        public string Parameter { get; }

        public string Expected { get; }

        /// <summary>Whether a number is taken as its text (a prompt may be "42"; a size never is a number).</summary>
        public bool AllowNumbers { get; set; } = true;

        /// <summary>Property names that make a piped object a row to bind by property name (e.g. Prompt, ImageUrl).</summary>
        public string[] RowProperties { get; set; } = System.Array.Empty<string>();

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var raw = BindingValues.Unwrap(inputData);
            if (raw is null || raw is string) return inputData;
            if (IsRow(inputData!)) return inputData;
            if (raw is System.IO.FileSystemInfo file)
            {
                throw new ArgumentTransformationMetadataException(
                    $"{Parameter} takes {Expected}, not a file ('{file.Name}'). To start a video from image files, pass them to -ImageUrl: Get-ChildItem *.png | ForEach-Object {{ Start-ZAiVideoGeneration -ImageUrl $_.FullName -Prompt '...' }}");
            }
            if (RowProperties.Length > 0 && RowWithoutColumns(inputData!) is string columns)
            {
                throw new ArgumentTransformationMetadataException(columns);
            }
            if (BindingValues.AsText(inputData) is null || !AllowNumbers)
            {
                throw new ArgumentTransformationMetadataException($"{Parameter} takes {Expected}; got {BindingValues.Describe(inputData)}{(BindingValues.AsText(inputData) is string number ? " " + number : string.Empty)}.");
            }
            return inputData;
        }

        /// <summary>What to say of a row (an Import-Csv record, a PSCustomObject) that has none of the columns this parameter binds from.</summary>
        private string? RowWithoutColumns(object inputData)
        {
            var item = PSObject.AsPSObject(inputData);
            if (!(item.BaseObject is PSCustomObject)) return null;
            var names = new System.Collections.Generic.List<string>();
            foreach (var property in item.Properties)
            {
                if (property.MemberType == PSMemberTypes.NoteProperty) names.Add(property.Name);
            }
            var needs = RowProperties.Length == 1 ? $"a {RowProperties[0]} column" : $"a {string.Join(", ", RowProperties, 0, RowProperties.Length - 1)} or {RowProperties[RowProperties.Length - 1]} column";
            var has = names.Count == 0 ? "no columns" : "the columns " + string.Join(", ", names);
            var example = names.Count == 0 ? "Ticket" : names[0];
            var column = RowProperties[0];
            return $"{Parameter} takes {Expected}, or input rows with {needs}; this row has {has}. "
                + $"Name the column that holds the {column.ToLowerInvariant()}: ... | ForEach-Object {example} | ..., or ... | Select-Object @{{ Name = '{column}'; Expression = {{ $_.{example} }} }} | ...";
        }

        private bool IsRow(object inputData)
        {
            if (RowProperties.Length == 0) return false;
            var item = PSObject.AsPSObject(inputData);
            // A hashtable is not a row: PowerShell binds no parameter from its keys, so it would become the text
            // "System.Collections.Hashtable". Only objects with properties are let through.
            foreach (var name in RowProperties)
            {
                if (item.Properties[name] != null) return true;
            }
            return false;
        }
    }
}
