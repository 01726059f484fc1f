using System.Collections.Generic;
using System.Linq;

namespace ZAi.PowerShell.Completion
{
    /// <summary>
    /// Task ids this process has seen in results, newest first, for tab completion. Bounded, and shared by
    /// every runspace like the connection is.
    /// </summary>
    internal static class RecentTaskIds
    {
        public const int Capacity = 500;
        private static readonly object Lock = new object();
        private static readonly LinkedList<string> Ids = new LinkedList<string>();
        private static readonly Dictionary<string, LinkedListNode<string>> Index = new Dictionary<string, LinkedListNode<string>>();

        public static void Remember(string id)
        {
            lock (Lock)
            {
                if (Index.TryGetValue(id, out var node)) Ids.Remove(node);
                Index[id] = Ids.AddFirst(id);
                if (Ids.Count > Capacity)
                {
                    Index.Remove(Ids.Last!.Value);
                    Ids.RemoveLast();
                }
            }
        }

        public static IReadOnlyList<string> Snapshot()
        {
            lock (Lock)
            {
                return Ids.ToList();
            }
        }
    }
}
