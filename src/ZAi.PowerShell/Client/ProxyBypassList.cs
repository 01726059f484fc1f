using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Hosts reached without the proxy: Connect-ZAi -NoProxy, and NO_PROXY when the proxy comes from the
    /// environment. The syntax is NO_PROXY's as curl reads it, so one list serves both: <c>*</c> (every host),
    /// <c>example.com</c>, <c>.example.com</c> or <c>*.example.com</c> (the domain and its subdomains), an
    /// IP address or a network (<c>10.0.0.0/8</c>, matched against addresses written in the URL; names are not
    /// resolved), <c>host:port</c> for one port only, and <c>&lt;local&gt;</c> (names without a dot, as in
    /// Windows' bypass list). Entries are separated by commas, semicolons or spaces.
    /// </summary>
    internal sealed class ProxyBypassList
    {
        public static readonly ProxyBypassList Empty = new ProxyBypassList(Array.Empty<Entry>());

        private readonly Entry[] _entries;

        private ProxyBypassList(Entry[] entries)
        {
            _entries = entries;
        }

        /// <summary>True when the list bypasses every host (<c>*</c>).</summary>
        public bool All => _entries.Any(e => e.Kind == EntryKind.All);

        public bool IsEmpty => _entries.Length == 0;

        /// <summary>The entries as written after normalising (lower case, one per pattern), for Get-ZAiContext and the cache key.</summary>
        public IReadOnlyList<string> Patterns => _entries.Select(e => e.Text).ToArray();

        /// <summary>
        /// Parses patterns. <paramref name="strict"/>: a pattern that cannot be read is an error naming it (-NoProxy);
        /// otherwise it is skipped, as curl does with NO_PROXY, which other tools share.
        /// </summary>
        /// <param name="origin">Names the list in errors: "-NoProxy".</param>
        /// <exception cref="ArgumentException">A pattern is not valid and <paramref name="strict"/> is true.</exception>
        public static ProxyBypassList Parse(IEnumerable<string?>? values, string origin, bool strict)
        {
            if (values is null) return Empty;
            var entries = new List<Entry>();
            foreach (var value in values)
            {
                if (value is null) continue;
                foreach (var part in value.Split(new[] { ',', ';', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var entry = TryParse(part.Trim(), out var why);
                    if (entry != null)
                    {
                        if (!entries.Any(e => e.Text == entry.Text)) entries.Add(entry);
                    }
                    else if (strict)
                    {
                        throw new ArgumentException($"{origin}: '{part}' is not a host pattern: {why}. Use a host (example.com, which includes its subdomains), *.example.com, an address or network (10.0.0.0/8), host:port, <local> or *.");
                    }
                }
            }
            return entries.Count == 0 ? Empty : new ProxyBypassList(entries.ToArray());
        }

        /// <summary>This list followed by the entries of <paramref name="other"/> it does not already hold.</summary>
        public ProxyBypassList Concat(ProxyBypassList other)
        {
            if (other.IsEmpty) return this;
            if (IsEmpty) return other;
            return new ProxyBypassList(_entries.Concat(other._entries.Where(o => !_entries.Any(e => e.Text == o.Text))).ToArray());
        }

        /// <summary>True when requests to <paramref name="uri"/> go without the proxy.</summary>
        public bool Matches(Uri uri)
        {
            if (_entries.Length == 0) return false;
            var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
            if (host.StartsWith("[", StringComparison.Ordinal) && host.EndsWith("]", StringComparison.Ordinal)) host = host.Substring(1, host.Length - 2);
            var address = IPAddress.TryParse(host, out var parsed) ? parsed : null;
            foreach (var entry in _entries)
            {
                if (entry.Port.HasValue && entry.Port.Value != uri.Port) continue;
                switch (entry.Kind)
                {
                    case EntryKind.All:
                        return true;
                    case EntryKind.Local:
                        if (address is null && host.IndexOf('.') < 0) return true;
                        break;
                    case EntryKind.Domain:
                        if (address is null && (host == entry.Name || host.EndsWith("." + entry.Name, StringComparison.Ordinal))) return true;
                        break;
                    case EntryKind.Network:
                        if (address != null && InNetwork(address, entry.Network!, entry.PrefixLength)) return true;
                        break;
                }
            }
            return false;
        }

        private static Entry? TryParse(string text, out string why)
        {
            why = string.Empty;
            var lower = text.ToLowerInvariant();
            if (lower == "*") return new Entry(EntryKind.All, "*");
            if (lower == "<local>") return new Entry(EntryKind.Local, "<local>");

            var slash = lower.IndexOf('/');
            if (slash >= 0)
            {
                var addressText = lower.Substring(0, slash).Trim('[', ']');
                if (!IPAddress.TryParse(addressText, out var network))
                {
                    why = "a network is an address followed by /prefix length";
                    return null;
                }
                var max = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                if (!int.TryParse(lower.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > max)
                {
                    why = $"the prefix length must be 0 to {max}";
                    return null;
                }
                return new Entry(EntryKind.Network, $"{network}/{prefix}") { Network = network, PrefixLength = prefix };
            }

            var host = lower;
            int? port = null;
            if (host.StartsWith("[", StringComparison.Ordinal))
            {
                var close = host.IndexOf(']');
                if (close < 0)
                {
                    why = "an IPv6 address in brackets needs its closing ]";
                    return null;
                }
                var rest = host.Substring(close + 1);
                host = host.Substring(1, close - 1);
                if (rest.Length > 0)
                {
                    if (!rest.StartsWith(":", StringComparison.Ordinal) || !TryPort(rest.Substring(1), out var p))
                    {
                        why = "a port is a number from 1 to 65535";
                        return null;
                    }
                    port = p;
                }
            }
            else if (host.Count(c => c == ':') == 1)
            {
                var colon = host.IndexOf(':');
                if (!TryPort(host.Substring(colon + 1), out var p))
                {
                    why = "a port is a number from 1 to 65535";
                    return null;
                }
                port = p;
                host = host.Substring(0, colon);
            }

            var suffix = port.HasValue ? ":" + port.Value.ToString(CultureInfo.InvariantCulture) : string.Empty;
            if (IPAddress.TryParse(host, out var single))
            {
                var bits = single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                var shown = single.AddressFamily == AddressFamily.InterNetworkV6 && port.HasValue ? $"[{single}]" : single.ToString();
                return new Entry(EntryKind.Network, shown + suffix) { Network = single, PrefixLength = bits, Port = port };
            }

            if (host.StartsWith("*.", StringComparison.Ordinal)) host = host.Substring(2);
            else if (host.StartsWith(".", StringComparison.Ordinal)) host = host.Substring(1);
            host = host.TrimEnd('.');
            if (host.IndexOf('*') >= 0)
            {
                why = "'*' may only stand alone or start the pattern as '*.'";
                return null;
            }
            if (host.Length == 0 || Uri.CheckHostName(host) != UriHostNameType.Dns)
            {
                why = "it is not a host name";
                return null;
            }
            return new Entry(EntryKind.Domain, host + suffix) { Name = host, Port = port };
        }

        private static bool TryPort(string text, out int port) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port >= 1 && port <= 65535;

        private static bool InNetwork(IPAddress address, IPAddress network, int prefixLength)
        {
            if (address.AddressFamily != network.AddressFamily)
            {
                if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                else if (network.AddressFamily == AddressFamily.InterNetworkV6 && network.IsIPv4MappedToIPv6) network = network.MapToIPv4();
                if (address.AddressFamily != network.AddressFamily) return false;
            }
            var a = address.GetAddressBytes();
            var n = network.GetAddressBytes();
            var whole = prefixLength / 8;
            for (var i = 0; i < whole; i++)
            {
                if (a[i] != n[i]) return false;
            }
            var rest = prefixLength % 8;
            if (rest == 0) return true;
            var mask = (byte)(0xFF << (8 - rest));
            return (a[whole] & mask) == (n[whole] & mask);
        }

        private enum EntryKind
        {
            All,
            Local,
            Domain,
            Network,
        }

        private sealed class Entry
        {
            public Entry(EntryKind kind, string text)
            {
                Kind = kind;
                Text = text;
            }

            public EntryKind Kind { get; }

            public string Text { get; }

            public string? Name { get; set; }

            public IPAddress? Network { get; set; }

            public int PrefixLength { get; set; }

            public int? Port { get; set; }
        }
    }
}
