using System;

namespace ZAi.PowerShell.Client
{
    /// <summary>Removes the API key from text that came from elsewhere (a server echoing a header, an exception message).</summary>
    internal static class SecretRedactor
    {
        public static string Redact(string text, ApiKey? key)
        {
            if (key is null || string.IsNullOrEmpty(text)) return text;
            var secret = key.Reveal();
            var index = text.IndexOf(secret, StringComparison.Ordinal);
            return index < 0 ? text : text.Replace(secret, key.Masked);
        }
    }
}
