using System;
using System.Collections.Generic;
using System.Text;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// The one place file names are given out to media, compared without case (Windows and macOS folders are
    /// case-insensitive). A name belongs to one item (task, kind, index): names a journal recorded for a task
    /// stay that task's in every run, and are never given to another; two different items whose names collide
    /// both keep their files, the later one under a name of its own (with a template: the task id appended, cut
    /// so the id always survives the length cap; without: the id's hash). The same item asked for twice is
    /// saved once. No item is ever dropped for a collision.
    /// </summary>
    internal sealed class FileNameClaims
    {
        private const string Cover = ".cover";
        // An owner is its item's (task, kind, index) as it is, and a recorded name a stretch of the journal's path: a
        // journal's names are all reserved, and a re-run of a long journal would hold strings per file for nothing.
        private readonly Dictionary<NameSlice, (string TaskId, MediaKind Kind, int Index)> _owners = new Dictionary<NameSlice, (string TaskId, MediaKind Kind, int Index)>(NameSlice.IgnoreCase);
        private readonly Dictionary<(string TaskId, MediaKind Kind, int Index), NameSlice> _recorded = new Dictionary<(string TaskId, MediaKind Kind, int Index), NameSlice>();
        private readonly bool _templated;

        /// <param name="templated">Names come from -NameTemplate (a collision appends the task id instead of hashing it).</param>
        public FileNameClaims(bool templated = false)
        {
            _templated = templated;
        }

        /// <summary>A name a journal recorded for an item: it stays that item's, and no other item gets it.</summary>
        public void Reserve(string baseName, string taskId, MediaKind kind, int index) => Reserve(NameSlice.Of(baseName), taskId, kind, index);

        /// <summary>A name a journal recorded for an item, as a stretch of the path it recorded.</summary>
        public void Reserve(NameSlice baseName, string taskId, MediaKind kind, int index)
        {
            var owner = Owner(taskId, kind, index);
            if (_owners.ContainsKey(baseName)) return;
            _owners[baseName] = owner;
            _recorded[owner] = baseName;
        }

        /// <returns>The item to save, under a name no other item has; null when this item was already claimed in this run.</returns>
        public MediaItem? Claim(MediaItem item)
        {
            var owner = Owner(item.TaskId, item.Kind, item.Index);
            if (_recorded.TryGetValue(owner, out var recorded))
            {
                _recorded.Remove(owner);
                var name = recorded.ToString();
                return name == item.BaseName ? item : item.WithBaseName(name);
            }
            if (!_owners.TryGetValue(NameSlice.Of(item.BaseName), out var existing))
            {
                _owners[NameSlice.Of(item.BaseName)] = owner;
                return item;
            }
            if (existing == owner) return null;
            var renamed = Distinct(item, 1);
            for (var n = 2; _owners.TryGetValue(NameSlice.Of(renamed.BaseName), out existing); n++)
            {
                if (existing == owner) return null;
                // Only a collision of two ids' hashes (or of ids that differ only in case) gets here: a counter keeps even that apart.
                renamed = Distinct(item, n);
            }
            _owners[NameSlice.Of(renamed.BaseName)] = owner;
            return renamed;
        }

        /// <summary>
        /// The item under a name of its own, for when a file of another (or an unknown) owner has the name it claimed:
        /// the name it claimed stays taken, so no later item gets it either.
        /// </summary>
        public MediaItem ClaimAnother(MediaItem item)
        {
            var owner = Owner(item.TaskId, item.Kind, item.Index);
            var renamed = Distinct(item, 1);
            for (var n = 2; _owners.TryGetValue(NameSlice.Of(renamed.BaseName), out var existing) && existing != owner; n++)
            {
                renamed = Distinct(item, n);
            }
            _owners[NameSlice.Of(renamed.BaseName)] = owner;
            return renamed;
        }

        private MediaItem Distinct(MediaItem item, int counter)
        {
            if (!_templated) return item.WithDistinctName(counter);
            var stem = item.BaseName.EndsWith(Cover, StringComparison.Ordinal) ? item.BaseName.Substring(0, item.BaseName.Length - Cover.Length) : item.BaseName;
            var suffix = item.BaseName.Length == stem.Length ? string.Empty : Cover;
            var tail = "-" + MediaFileNames.SafeStem(item.TaskId) + (item.Index > 0 ? "-" + item.Index : string.Empty) + (counter > 1 ? "~" + counter : string.Empty);
            var room = Math.Max(8, MediaFileNames.MaxStemBytes - Encoding.UTF8.GetByteCount(tail));
            return item.WithBaseName(MediaFileNames.SafeStem(stem, room) + tail + suffix);
        }

        private static (string TaskId, MediaKind Kind, int Index) Owner(string taskId, MediaKind kind, int index) => (taskId, kind, index);
    }
}
