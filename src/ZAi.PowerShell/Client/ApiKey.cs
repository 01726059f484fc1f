using System;
using System.Runtime.InteropServices;
using System.Security;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Holds an API key so that it can be sent as a bearer token but never shown: ToString and every
    /// property other than <see cref="Reveal"/> give the masked form.
    /// </summary>
    internal sealed class ApiKey
    {
        private readonly string _secret;

        private ApiKey(string secret)
        {
            _secret = secret;
        }

        public static ApiKey FromPlainText(string secret)
        {
            if (string.IsNullOrWhiteSpace(secret))
            {
                throw new ArgumentException("The API key is empty.");
            }
            var trimmed = secret.Trim();
            for (var i = 0; i < trimmed.Length; i++)
            {
                var c = trimmed[i];
                if (char.IsControl(c) || char.IsWhiteSpace(c))
                {
                    throw new ArgumentException("The API key contains whitespace or a control character; check how it was copied.");
                }
                if (c > '\u007E')
                {
                    // It is sent in a header, which takes ASCII only: every call would fail as a connection error.
                    throw new ArgumentException($"The API key contains a non-ASCII character at position {i + 1}; API keys are ASCII. Check how it was copied (a typographic dash or quote, a letter from another alphabet).");
                }
            }
            return new ApiKey(trimmed);
        }

        public static ApiKey FromSecureString(SecureString secure)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return FromPlainText(Marshal.PtrToStringUni(pointer) ?? string.Empty);
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>The key as shown to users: stars and its last four characters.</summary>
        public string Masked => Mask(_secret);

        /// <summary>The key itself, only for the Authorization header and for redacting server text.</summary>
        public string Reveal() => _secret;

        public override string ToString() => Masked;

        internal static string Mask(string secret)
        {
            return secret.Length <= 8 ? "****" : "****" + secret.Substring(secret.Length - 4);
        }
    }
}
