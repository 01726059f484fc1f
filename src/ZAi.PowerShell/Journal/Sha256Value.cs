namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// A file's SHA-256 as a saved line's entry keeps it: its 32 bytes inside the record, where an array of its own
    /// would add an object and a reference to every file of a long journal.
    /// </summary>
    internal readonly struct Sha256Value
    {
        private const int HexLength = 4 * HexBits.DigitsPerWord;
        private readonly ulong _a;
        private readonly ulong _b;
        private readonly ulong _c;
        private readonly ulong _d;

        private Sha256Value(ulong a, ulong b, ulong c, ulong d)
        {
            _a = a;
            _b = b;
            _c = c;
            _d = d;
        }

        /// <summary>64 hex digits, in either case; false for anything else.</summary>
        public static bool TryParse(string? hex, out Sha256Value value)
        {
            value = default;
            if (hex is null || hex.Length != HexLength) return false;
            if (!HexBits.TryRead(hex, 0, true, out var a) || !HexBits.TryRead(hex, 16, true, out var b) ||
                !HexBits.TryRead(hex, 32, true, out var c) || !HexBits.TryRead(hex, 48, true, out var d)) return false;
            value = new Sha256Value(a, b, c, d);
            return true;
        }

        /// <summary>The 64 lower-case hex digits a journal writes.</summary>
        public override string ToString()
        {
            var hex = new char[HexLength];
            HexBits.Write(hex, 0, _a);
            HexBits.Write(hex, 16, _b);
            HexBits.Write(hex, 32, _c);
            HexBits.Write(hex, 48, _d);
            return new string(hex);
        }
    }
}
