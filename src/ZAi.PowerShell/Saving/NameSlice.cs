using System;
using System.Collections.Generic;
using System.IO;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// A file name as a stretch of a string that already exists (a saved file's path in the journal), so the names a
    /// journal recorded can be reserved without a new string each: a re-run of a long journal reserves them all.
    /// Compared without case, as <see cref="StringComparer.OrdinalIgnoreCase"/> compares the names themselves.
    /// </summary>
    internal readonly struct NameSlice
    {
        private readonly string _text;
        private readonly int _start;
        private readonly int _hash;

        private NameSlice(string text, int start, int length, int hash)
        {
            _text = text;
            _start = start;
            Length = length;
            _hash = hash;
        }

        public int Length { get; }

        /// <summary>The whole of <paramref name="name"/>.</summary>
        public static NameSlice Of(string name) => new NameSlice(name, 0, name.Length, StringComparer.OrdinalIgnoreCase.GetHashCode(name));

        /// <summary>The file name of <paramref name="path"/> without its extension, as <see cref="Path.GetFileNameWithoutExtension(string)"/> gives it.</summary>
        public static NameSlice StemOf(string path)
        {
            // Both are suffix and prefix of the path's own text: only where they start and end is kept.
            var stem = Path.GetFileNameWithoutExtension(path);
            var start = path.Length - Path.GetFileName(path).Length;
            return new NameSlice(path, start, stem.Length, StringComparer.OrdinalIgnoreCase.GetHashCode(stem));
        }

        public override string ToString() => _start == 0 && Length == _text.Length ? _text : _text.Substring(_start, Length);

        /// <summary>Compares names without case.</summary>
        public static IEqualityComparer<NameSlice> IgnoreCase { get; } = new IgnoreCaseComparer();

        private sealed class IgnoreCaseComparer : IEqualityComparer<NameSlice>
        {
            public bool Equals(NameSlice x, NameSlice y) =>
                x.Length == y.Length && string.Compare(x._text, x._start, y._text, y._start, x.Length, StringComparison.OrdinalIgnoreCase) == 0;

            public int GetHashCode(NameSlice name) => name._hash;
        }
    }
}
