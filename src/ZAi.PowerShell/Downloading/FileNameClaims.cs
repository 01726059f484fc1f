using System;
using System.Collections.Generic;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// The file names one Save-ZAiMedia call has handed out, compared without case (Windows and macOS folders are
    /// case-insensitive). Two different tasks never get the same name: the later one gets the name with its id's
    /// hash. The same item asked for twice (a result piped twice) is saved once.
    /// </summary>
    internal sealed class FileNameClaims
    {
        private readonly Dictionary<string, MediaItem> _owners = new Dictionary<string, MediaItem>(StringComparer.OrdinalIgnoreCase);

        /// <returns>The item to save, under a name no other task of this call has; null when this item was already claimed.</returns>
        public MediaItem? Claim(MediaItem item)
        {
            if (_owners.TryGetValue(item.BaseName, out var owner))
            {
                if (SameMedia(owner, item)) return null;
                item = item.WithDistinctName();
                // Only a collision of the ids' hashes gets here; a counter keeps even that apart.
                for (var n = 2; _owners.TryGetValue(item.BaseName, out owner); n++)
                {
                    if (SameMedia(owner, item)) return null;
                    item = item.WithDistinctName(n);
                }
            }
            _owners.Add(item.BaseName, item);
            return item;
        }

        private static bool SameMedia(MediaItem a, MediaItem b)
        {
            return string.Equals(a.TaskId, b.TaskId, StringComparison.Ordinal) && a.Kind == b.Kind && a.Index == b.Index;
        }
    }
}
