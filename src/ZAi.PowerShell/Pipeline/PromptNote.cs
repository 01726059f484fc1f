using System.Management.Automation;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>The Prompt a task was submitted with, carried on its results so a file can be traced back to what was asked.</summary>
    internal static class PromptNote
    {
        public const string Name = "Prompt";

        /// <summary>The result as a PSObject with a Prompt property, unless it has one; a null prompt is added only with <paramref name="evenIfNull"/>.</summary>
        public static PSObject Attach(object result, string? prompt, bool evenIfNull = false)
        {
            var output = PSObject.AsPSObject(result);
            ChatView.Mark(output);
            if ((prompt != null || evenIfNull) && output.Properties[Name] is null) output.Properties.Add(new PSNoteProperty(Name, prompt));
            return output;
        }
    }
}
