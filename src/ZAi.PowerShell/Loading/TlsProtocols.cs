using System.Net;

namespace ZAi.PowerShell.Loading
{
    /// <summary>
    /// TLS on .NET Framework: powershell.exe often offers only TLS 1.0 (its process targets an old framework
    /// version), and the Z.AI API needs TLS 1.2 or later. SystemDefault (0) leaves the choice to Windows, which
    /// already includes 1.2, so it is left alone.
    /// </summary>
    internal static class TlsProtocols
    {
        /// <summary>The protocols to use: <paramref name="current"/> with TLS 1.2 added, unless it is SystemDefault.</summary>
        public static SecurityProtocolType WithTls12(SecurityProtocolType current)
        {
            return current == 0 ? current : current | SecurityProtocolType.Tls12;
        }

        public static void EnableTls12()
        {
            ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
        }
    }
}
