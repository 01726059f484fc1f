using System;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// A request id as a journal's entry keeps it. The ids the module chooses are a Guid's 32 lower-case hex digits:
    /// those are held as their 16 bytes (an entry per prompt of a long journal would otherwise keep an 88-byte
    /// string for each); any other id (-RequestId, a hand-edited line) is held as written.
    /// </summary>
    internal readonly struct RequestIdValue
    {
        private const int HexLength = 2 * HexBits.DigitsPerWord;

        private readonly ulong _high;
        private readonly ulong _low;
        private readonly string? _text;

        private RequestIdValue(ulong high, ulong low)
        {
            _high = high;
            _low = low;
            _text = HexBits.Packed;  // a flag would round the struct up by another 8 bytes
        }

        private RequestIdValue(string text)
        {
            _high = 0;
            _low = 0;
            _text = text;
        }

        /// <summary>Held as its 16 bytes rather than as text.</summary>
        internal bool IsPacked => ReferenceEquals(_text, HexBits.Packed);

        public static RequestIdValue From(string? id)
        {
            if (string.IsNullOrEmpty(id)) return default;
            return TryPack(id!, out var high, out var low) ? new RequestIdValue(high, low) : new RequestIdValue(id!);
        }

        /// <summary>No id: the entry has only been refused, or its line had none.</summary>
        public bool IsEmpty => string.IsNullOrEmpty(_text);

        /// <summary>Whether <paramref name="id"/> is this id, compared without making its text.</summary>
        public bool Is(string? id)
        {
            if (string.IsNullOrEmpty(id)) return IsEmpty;
            if (!IsPacked) return string.Equals(_text, id, StringComparison.Ordinal);
            return TryPack(id!, out var high, out var low) && high == _high && low == _low;
        }

        /// <summary>The id as written (made anew from its bytes on each call when packed).</summary>
        public override string ToString()
        {
            if (!IsPacked) return _text ?? string.Empty;
            var hex = new char[HexLength];
            HexBits.Write(hex, 0, _high);
            HexBits.Write(hex, HexBits.DigitsPerWord, _low);
            return new string(hex);
        }

        /// <summary>Only 32 lower-case hex digits pack: anything else would not come back exactly as written.</summary>
        private static bool TryPack(string id, out ulong high, out ulong low)
        {
            low = 0;
            high = 0;
            return id.Length == HexLength && HexBits.TryRead(id, 0, false, out high) && HexBits.TryRead(id, HexBits.DigitsPerWord, false, out low);
        }
    }
}
