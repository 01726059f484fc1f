namespace ZAi.PowerShell.Journal
{
    /// <summary>A SHA-256 between its 64 hex digits (as a journal writes it) and its 32 bytes (as a journal's index holds it).</summary>
    internal static class Sha256Text
    {
        private const string Digits = "0123456789abcdef";

        /// <summary>The 32 bytes of 64 hex digits (either case); null for anything else.</summary>
        public static byte[]? Bytes(string? hex)
        {
            if (hex is null || hex.Length != 64) return null;
            var bytes = new byte[32];
            for (var i = 0; i < 32; i++)
            {
                var high = Digit(hex[2 * i]);
                var low = Digit(hex[2 * i + 1]);
                if (high < 0 || low < 0) return null;
                bytes[i] = (byte)((high << 4) | low);
            }
            return bytes;
        }

        /// <summary>The bytes as lower-case hex digits.</summary>
        public static string Hex(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[2 * i + 1] = Digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }

        private static int Digit(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
