using System;
using System.Collections.Generic;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// The file names one Save-ZAiMedia run has planned. The same item planned twice is planned once; two
    /// different items whose names collide (a -NameTemplate without {TaskId}, two tasks with one prompt) keep
    /// both files: the later one gets its task id appended.
    /// </summary>
    internal sealed class PlannedNames
    {
        private readonly Dictionary<string, string> _owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The item to plan, possibly renamed; null when exactly this item is already planned.</summary>
        public MediaItem? Claim(MediaItem item)
        {
            var owner = Owner(item);
            if (!_owners.TryGetValue(item.BaseName, out var existing))
            {
                _owners[item.BaseName] = owner;
                return item;
            }
            if (existing == owner) return null;

            const string cover = ".cover";
            var stem = item.BaseName.EndsWith(cover, StringComparison.Ordinal) ? item.BaseName.Substring(0, item.BaseName.Length - cover.Length) : item.BaseName;
            var suffix = item.BaseName.Length == stem.Length ? string.Empty : cover;
            var renamed = item.WithBaseName(MediaFileNames.SafeStem(stem + "-" + item.TaskId + (item.Index > 0 ? "-" + item.Index : string.Empty)) + suffix);
            return _owners.ContainsKey(renamed.BaseName) ? null : Claim(renamed);
        }

        private static string Owner(MediaItem item) => item.TaskId + "\n" + item.Kind + "\n" + item.Index;
    }
}
