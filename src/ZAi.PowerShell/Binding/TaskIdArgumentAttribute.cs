using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace ZAi.PowerShell.Binding
{
    /// <summary>
    /// What -Id accepts: task id strings (trimmed: ids never hold whitespace, and a stray space would ask for
    /// another task), numbers, and objects or hashtables with an Id or TaskId. Anything else (a date, a file, a
    /// table without an id) is refused while binding, so it never becomes the text of a request. A blank line
    /// read from a file is refused naming the line.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TaskIdArgumentAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var raw = BindingValues.Unwrap(inputData);
            if (raw is null) return null;
            if (raw is string || !(raw is IEnumerable) || raw is IDictionary) return One(inputData);

            var ids = new List<string?>();
            foreach (var element in (IEnumerable)raw)
            {
                ids.Add(One(element));
            }
            return ids.ToArray();
        }

        public override bool TransformNullOptionalParameters => false;

        private static string? One(object? value)
        {
            var raw = BindingValues.Unwrap(value);
            if (raw is null) return null;
            var text = BindingValues.AsText(value) ?? IdOf(value);
            if (text is null)
            {
                throw new ArgumentTransformationMetadataException(
                    $"-Id takes task ids: strings, or objects with an Id or TaskId property such as the output of Start-ZAiVideoGeneration and Get-ZAiAsyncResult. {Capitalised(BindingValues.Describe(value))} has neither, so nothing was requested for it.");
            }
            var trimmed = text.Trim();
            if (trimmed.Length == 0 && BindingValues.SourceLine(value) is string line)
            {
                throw new ArgumentTransformationMetadataException($"{Capitalised(line)} is blank; each line must hold one task id. Skip blank lines with: Get-Content <file> | Where-Object {{ $_.Trim() }}");
            }
            // A blank value from anywhere else stays as it is, for the cmdlet's own "task id is empty" error.
            return trimmed.Length == 0 ? text : trimmed;
        }

        private static string? IdOf(object? value)
        {
            var raw = BindingValues.Unwrap(value);
            if (raw is IDictionary table)
            {
                foreach (DictionaryEntry entry in table)
                {
                    var key = entry.Key as string;
                    if (string.Equals(key, "Id", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "TaskId", StringComparison.OrdinalIgnoreCase))
                    {
                        return BindingValues.AsText(entry.Value);
                    }
                }
                return null;
            }
            var item = PSObject.AsPSObject(value!);
            return BindingValues.AsText(item.Properties["Id"]?.Value) ?? BindingValues.AsText(item.Properties["TaskId"]?.Value);
        }

        private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
