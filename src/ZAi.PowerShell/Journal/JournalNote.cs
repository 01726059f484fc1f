using System.Management.Automation;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// The journal a task was submitted with, carried on its results (a Journal property holding the file's full
    /// path) so that Wait-ZAiAsyncResult and Save-ZAiMedia, binding it by name, add the task's end and files to the
    /// same ledger.
    /// </summary>
    internal static class JournalNote
    {
        public const string Name = "Journal";

        /// <summary>The object with a Journal property, unless it has one or <paramref name="journal"/> is null.</summary>
        public static PSObject Attach(PSObject output, string? journal)
        {
            if (journal != null && output.Properties[Name] is null) output.Properties.Add(new PSNoteProperty(Name, journal));
            return output;
        }

        /// <summary>The Journal property of an input object, or null.</summary>
        public static string? Of(PSObject? input)
        {
            var value = input?.Properties[Name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value is string text && text.Length > 0 ? text : null;
        }
    }
}
