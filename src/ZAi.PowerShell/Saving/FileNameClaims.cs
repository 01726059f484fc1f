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
    /// saved once. No item is ever dropped for a collision. Which name a journal recorded for an item is the journal's
    /// to say (the caller hands it to <see cref="Claim"/>): only the names themselves are held here.
    /// </summary>
    internal sealed class FileNameClaims
    {
        private const string Cover = ".cover";
        // An owner is its item's (task, kind, index) as it is, and a recorded name a stretch of the journal's path: a
        // journal's names are all reserved, and a re-run of a long journal would hold strings per file for nothing.
        private readonly Dictionary<NameSlice, Holder> _owners = new Dictionary<NameSlice, Holder>(NameSlice.IgnoreCase);
        private readonly bool _templated;

        /// <param name="templated">Names come from -NameTemplate (a collision appends the task id instead of hashing it).</param>
        public FileNameClaims(bool templated = false)
        {
            _templated = templated;
        }

        /// <summary>How many names are held: reserved for their items or claimed in this run.</summary>
        public int Count => _owners.Count;

        /// <summary>A name a journal recorded for an item: it stays that item's, and no other item gets it.</summary>
        public void Reserve(string baseName, string taskId, MediaKind kind, int index) => Reserve(NameSlice.Of(baseName), taskId, kind, index);

        /// <summary>A name a journal recorded for an item, as a stretch of the path it recorded.</summary>
        public void Reserve(NameSlice baseName, string taskId, MediaKind kind, int index)
        {
            if (_owners.ContainsKey(baseName)) return;
            _owners[baseName] = new Holder(Owner(taskId, kind, index), claimed: false);
        }

        /// <param name="recorded">The names the input's journals recorded for this item in this folder, oldest first: the newest still reserved for it is its name.</param>
        /// <returns>The item to save, under a name no other item has; null when this item was already claimed in this run.</returns>
        public MediaItem? Claim(MediaItem item, IEnumerable<NameSlice>? recorded = null)
        {
            var owner = Owner(item.TaskId, item.Kind, item.Index);
            NameSlice? mine = null;
            var mineHolder = default(Holder);
            if (recorded != null)
            {
                foreach (var name in recorded)
                {
                    if (!_owners.TryGetValue(name, out var holder) || holder.Owner != owner) continue;
                    mine = name;
                    mineHolder = holder;
                }
            }
            if (mine is NameSlice reserved)
            {
                if (!TakeOwn(reserved, mineHolder)) return null;
                var name = reserved.ToString();
                return name == item.BaseName ? item : item.WithBaseName(name);
            }
            // The item's own name, then distinct ones. Only a collision of two ids' hashes (or of ids that differ only
            // in case) gets past the first distinct name: a counter keeps even that apart.
            for (var counter = 0; ; counter++)
            {
                var candidate = counter == 0 ? item : Distinct(item, counter);
                var slice = NameSlice.Of(candidate.BaseName);
                if (!_owners.TryGetValue(slice, out var existing))
                {
                    _owners[slice] = new Holder(owner, claimed: true);
                    return candidate;
                }
                if (existing.Owner == owner) return TakeOwn(slice, existing) ? candidate : null;
            }
        }

        /// <summary>The item's own name (reserved or claimed), held by <paramref name="holder"/>: true the first time it is claimed in this run.</summary>
        private bool TakeOwn(NameSlice name, Holder holder)
        {
            if (holder.Claimed) return false;
            _owners[name] = new Holder(holder.Owner, claimed: true);
            return true;
        }

        /// <summary>
        /// The item under a name of its own, for when a file of another (or an unknown) owner has the name it claimed:
        /// the name it claimed stays taken, so no later item gets it either.
        /// </summary>
        public MediaItem ClaimAnother(MediaItem item)
        {
            var owner = Owner(item.TaskId, item.Kind, item.Index);
            var renamed = Distinct(item, 1);
            for (var n = 2; _owners.TryGetValue(NameSlice.Of(renamed.BaseName), out var existing) && existing.Owner != owner; n++)
            {
                renamed = Distinct(item, n);
            }
            _owners[NameSlice.Of(renamed.BaseName)] = new Holder(owner, claimed: true);
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

        /// <summary>Whose a name is, and whether that item claimed it in this run (a name a journal recorded is reserved, not yet claimed).</summary>
        private readonly struct Holder
        {
            public Holder((string TaskId, MediaKind Kind, int Index) owner, bool claimed)
            {
                Owner = owner;
                Claimed = claimed;
            }

            public (string TaskId, MediaKind Kind, int Index) Owner { get; }

            public bool Claimed { get; }
        }
    }
}
