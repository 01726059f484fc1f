using System.Collections.Generic;
using System.Linq;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// Task ids one account of a connection has seen in results, newest first, for tab completion (held by its
    /// <see cref="Submitting.AccountState"/>: a runspace connected to another account is never offered them). Bounded.
    /// </summary>
    internal sealed class RecentTaskIds
    {
        public const int Capacity = 500;
        private readonly object _lock = new object();
        private readonly LinkedList<string> _ids = new LinkedList<string>();
        private readonly Dictionary<string, LinkedListNode<string>> _index = new Dictionary<string, LinkedListNode<string>>();

        public void Remember(string id)
        {
            if (string.IsNullOrEmpty(id)) return;
            lock (_lock)
            {
                if (_index.TryGetValue(id, out var node)) _ids.Remove(node);
                _index[id] = _ids.AddFirst(id);
                if (_ids.Count > Capacity)
                {
                    _index.Remove(_ids.Last!.Value);
                    _ids.RemoveLast();
                }
            }
        }

        public IReadOnlyList<string> Snapshot()
        {
            lock (_lock)
            {
                return _ids.ToList();
            }
        }
    }
}
