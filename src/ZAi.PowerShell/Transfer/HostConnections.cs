using System;
using System.Collections.Concurrent;
using System.Threading;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Connections open to each media host across every file of the process. A file's first connection always
    /// runs (files at once are already bounded by -ThrottleLimit); its further range connections only start while
    /// the host has fewer than the limit, so files x ranges never opens hundreds of sockets to one host.
    /// </summary>
    internal sealed class HostConnections
    {
        public static readonly HostConnections Shared = new HostConnections();
        private readonly ConcurrentDictionary<string, StrongBox> _open = new ConcurrentDictionary<string, StrongBox>(StringComparer.OrdinalIgnoreCase);

        public int Open(Uri uri) => Volatile.Read(ref Box(uri).Value);

        /// <summary>Counts a file's first connection; never refused.</summary>
        public void Acquire(Uri uri) => Interlocked.Increment(ref Box(uri).Value);

        /// <summary>Counts one more connection if the host has fewer than <paramref name="limit"/>; false otherwise.</summary>
        public bool TryAcquire(Uri uri, int limit)
        {
            var box = Box(uri);
            while (true)
            {
                var open = Volatile.Read(ref box.Value);
                if (open >= limit) return false;
                if (Interlocked.CompareExchange(ref box.Value, open + 1, open) == open) return true;
            }
        }

        public void Release(Uri uri) => Interlocked.Decrement(ref Box(uri).Value);

        private StrongBox Box(Uri uri) => _open.GetOrAdd(uri.Authority, _ => new StrongBox());

        private sealed class StrongBox
        {
            public int Value;
        }
    }
}
