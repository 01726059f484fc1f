using System;
using System.Collections.Concurrent;

namespace ZAi.PowerShell.Models
{
    /// <summary>
    /// When a result's media links are expected to stop working: video and cover links one day, image links
    /// thirty days after the task finished. The API does not say when a task finished, so the clock starts at
    /// the first SUCCESS this process saw for the task; the estimate is never earlier than the real expiry.
    /// </summary>
    internal static class MediaExpiry
    {
        public static readonly TimeSpan VideoLifetime = TimeSpan.FromDays(1);
        public static readonly TimeSpan ImageLifetime = TimeSpan.FromDays(30);
        private const int Capacity = 100_000;
        private static readonly ConcurrentDictionary<string, DateTime> FirstSuccess = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);

        /// <summary>How long links of this kind of result live; null for kinds without media links.</summary>
        public static TimeSpan? Lifetime(ResultKind kind) => kind switch
        {
            ResultKind.Video => VideoLifetime,
            ResultKind.Image => ImageLifetime,
            _ => (TimeSpan?)null,
        };

        public static TimeSpan Lifetime(MediaKind kind) => kind == MediaKind.Image ? ImageLifetime : VideoLifetime;

        /// <summary>The estimated expiry (UTC) of a result seen at <paramref name="seenUtc"/>; null until it succeeded.</summary>
        public static DateTime? Estimate(string taskId, AsyncTaskStatus status, ResultKind kind, DateTime seenUtc)
        {
            var lifetime = Lifetime(kind);
            if (status != AsyncTaskStatus.Success || lifetime is null) return null;
            if (FirstSuccess.Count >= Capacity && !FirstSuccess.ContainsKey(taskId)) FirstSuccess.Clear();
            var first = FirstSuccess.GetOrAdd(taskId, DateTime.SpecifyKind(seenUtc, DateTimeKind.Utc));
            return first + lifetime.Value;
        }

        /// <summary>Forgets what was seen (tests only).</summary>
        internal static void Reset() => FirstSuccess.Clear();
    }
}
