using System;
using System.Collections.Concurrent;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// When an account first saw each of its tasks succeed: a result's link expiry counts from then, however often
    /// the task is fetched again (the API does not say when a task finished). Bounded: past its capacity it starts
    /// afresh, which only makes later estimates later than the first sighting, never earlier than the real expiry.
    /// </summary>
    internal sealed class FirstSuccesses
    {
        private readonly ConcurrentDictionary<string, DateTime> _seen = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);
        private readonly int _capacity;

        public FirstSuccesses(int capacity = 100_000)
        {
            _capacity = capacity;
        }

        /// <summary>When the task was first seen succeeded: <paramref name="seenUtc"/> the first time it is asked.</summary>
        public DateTime FirstSeen(string taskId, DateTime seenUtc)
        {
            if (_seen.Count >= _capacity && !_seen.ContainsKey(taskId)) _seen.Clear();
            return _seen.GetOrAdd(taskId, DateTime.SpecifyKind(seenUtc, DateTimeKind.Utc));
        }
    }
}
