using System;
using System.Collections.Concurrent;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// What the session learns while it uses one connection, kept by the rooms above Client under a type of their own
    /// (Submitting keeps its accounts here). Client carries it and never looks inside, so it knows nothing above it.
    /// Each Connect-ZAi starts a new one; commands that run on ZAI_API_KEY alone share <see cref="Environment"/>.
    /// </summary>
    internal sealed class ConnectionMemory
    {
        private readonly ConcurrentDictionary<Type, object> _items = new ConcurrentDictionary<Type, object>();

        public static ConnectionMemory Environment { get; } = new ConnectionMemory();

        /// <summary>The one <typeparamref name="T"/> of this connection, made by <paramref name="create"/> the first time.</summary>
        public T Get<T>(Func<T> create) where T : class => (T)_items.GetOrAdd(typeof(T), _ => create());
    }
}
