namespace ZAi.PowerShell.Journal
{
    /// <summary>Hex digits a journal's entries keep as bits rather than text: sixteen digits to a ulong.</summary>
    internal static class HexBits
    {
        public const int DigitsPerWord = 16;
        private const string Digits = "0123456789abcdef";

        /// <summary>
        /// Stands in a text field for "the value is held as bits", compared by reference. A string made from an array is
        /// always a new object, so no text from outside can be this very string, whatever it says.
        /// </summary>
        public static readonly string Packed = new string(new[] { 'p', 'a', 'c', 'k', 'e', 'd' });

        /// <summary>Reads the sixteen digits at <paramref name="at"/>; upper-case digits only when <paramref name="anyCase"/>.</summary>
        public static bool TryRead(string text, int at, bool anyCase, out ulong value)
        {
            value = 0;
            if (at < 0 || text.Length - at < DigitsPerWord) return false;
            for (var i = at; i < at + DigitsPerWord; i++)
            {
                var c = text[i];
                int digit;
                if (c >= '0' && c <= '9') digit = c - '0';
                else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
                else if (anyCase && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
                else return false;
                value = (value << 4) | (uint)digit;
            }
            return true;
        }

        /// <summary>Writes <paramref name="value"/> as sixteen lower-case digits at <paramref name="at"/>.</summary>
        public static void Write(char[] to, int at, ulong value)
        {
            for (var i = DigitsPerWord - 1; i >= 0; i--)
            {
                to[at + i] = Digits[(int)(value & 0xF)];
                value >>= 4;
            }
        }
    }
}
