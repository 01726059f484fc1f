using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;

namespace ZAi
{
    /// <summary>
    /// A read-only list of texts whose own text is the items joined with "; ", so Export-Csv writes
    /// 'a.mp4; a.cover.jpg' instead of 'System.String[]'. Scripts still index, count and enumerate it, and
    /// ConvertTo-Json writes an array.
    /// </summary>
    public sealed class TextList : ReadOnlyCollection<string>
    {
        public const string Separator = "; ";

        public TextList(IList<string> items) : base(items) { }

        public override string ToString() => string.Join(Separator, this);

        /// <summary>JournalEntry.Files as PowerShell shows it (ZAi.types.ps1xml).</summary>
        public static object? JournalFiles(PSObject instance) =>
            instance?.BaseObject is JournalEntry entry ? new TextList(entry.Files) : null;
    }
}
