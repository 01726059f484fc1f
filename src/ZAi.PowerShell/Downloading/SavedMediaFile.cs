using System.IO;
using System.Management.Automation;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>What Save-ZAiMedia writes for each file: the FileInfo, tagged with the media it holds.</summary>
    internal static class SavedMediaFile
    {
        public const string TypeName = "ZAi.SavedMediaFile";

        public static PSObject Create(string path, MediaItem item, bool downloaded, PSObject? input = null)
        {
            var file = PSObject.AsPSObject(new FileInfo(path));
            file.TypeNames.Insert(0, TypeName);
            file.Properties.Add(new PSNoteProperty("TaskId", item.TaskId));
            file.Properties.Add(new PSNoteProperty("MediaKind", item.Kind));
            file.Properties.Add(new PSNoteProperty("MediaIndex", item.Index));
            file.Properties.Add(new PSNoteProperty("SourceUrl", item.Url));
            file.Properties.Add(new PSNoteProperty("Downloaded", downloaded));
            // The prompt of the task the file came from, when the input carried one (Start and Wait results do).
            file.Properties.Add(new PSNoteProperty("Prompt", input?.Properties["Prompt"]?.Value as string));
            return file;
        }
    }
}
