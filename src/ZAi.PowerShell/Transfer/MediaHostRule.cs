using System;
using System.Net;
using System.Net.Sockets;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Which hosts a media link (or a redirect) may point to, decided from the URL alone before anything is sent.
    /// Link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata services are refused: on a cloud worker
    /// 169.254.169.254 hands out credentials, and a link that a task result (or a hostile redirect) points there
    /// must not be fetched and saved. Loopback and private addresses stay allowed: the emulator and on-premises
    /// mirrors use them.
    /// </summary>
    internal static class MediaHostRule
    {
        /// <summary>Host names of metadata services (compared without a trailing dot, case-insensitively).</summary>
        private static readonly string[] MetadataNames =
        {
            "metadata",
            "metadata.google.internal",
            "metadata.goog",
            "metadata.azure.internal",
            "instance-data",
            "instance-data.ec2.internal",
            "metadata.tencentyun.com",
            "metadata.platformequinix.com",
        };

        /// <summary>Metadata services outside the link-local ranges: Alibaba Cloud's and the AWS IPv6 endpoint.</summary>
        private static readonly IPAddress[] MetadataAddresses =
        {
            IPAddress.Parse("100.100.100.200"),
            IPAddress.Parse("fd00:ec2::254"),
        };

        /// <summary>Null when the link's host may be fetched; otherwise why not, naming the address.</summary>
        public static string? Refusal(Uri uri)
        {
            var host = uri.IdnHost.TrimEnd('.');
            if (host.StartsWith("[", StringComparison.Ordinal) && host.EndsWith("]", StringComparison.Ordinal)) host = host.Substring(1, host.Length - 2);
            if (IPAddress.TryParse(host, out var address)) return RefusalOf(address);
            foreach (var name in MetadataNames)
            {
                if (string.Equals(host, name, StringComparison.OrdinalIgnoreCase)) return $"'{uri.Host}' is the host name of a cloud metadata service";
            }
            return null;
        }

        /// <summary>Null when the address may be fetched; otherwise why not.</summary>
        public static string? RefusalOf(IPAddress address)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && IsV4Mapped(address)) address = MapToV4(address);
            foreach (var metadata in MetadataAddresses)
            {
                if (WithoutScope(address).Equals(metadata)) return $"{address} is the address of a cloud metadata service";
            }
            var bytes = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork && bytes[0] == 169 && bytes[1] == 254)
            {
                return $"{address} is a link-local address (169.254.0.0/16), where cloud metadata services hand out credentials";
            }
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)
            {
                return $"{address} is a link-local address (fe80::/10)";
            }
            return null;
        }

        private static IPAddress WithoutScope(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(address.GetAddressBytes()) : address;

        private static bool IsV4Mapped(IPAddress address)
        {
            var b = address.GetAddressBytes();
            for (var i = 0; i < 10; i++)
            {
                if (b[i] != 0) return false;
            }
            return b[10] == 0xFF && b[11] == 0xFF;
        }

        private static IPAddress MapToV4(IPAddress address)
        {
            var b = address.GetAddressBytes();
            return new IPAddress(new[] { b[12], b[13], b[14], b[15] });
        }
    }
}
