using System;

namespace ZAi.PowerShell.Models
{
    /// <summary>
    /// When a result's media links are expected to stop working: video and cover links one day, image links
    /// thirty days after the task finished. The API does not say when a task finished, so the clock starts at
    /// the first SUCCESS the account saw for the task (<c>Client.FirstSuccesses</c>); the estimate is never
    /// earlier than the real expiry.
    /// </summary>
    internal static class MediaExpiry
    {
        public static readonly TimeSpan VideoLifetime = TimeSpan.FromDays(1);
        public static readonly TimeSpan ImageLifetime = TimeSpan.FromDays(30);

        /// <summary>How long links of this kind of result live; null for kinds without media links.</summary>
        public static TimeSpan? Lifetime(ResultKind kind) => kind switch
        {
            ResultKind.Video => VideoLifetime,
            ResultKind.Image => ImageLifetime,
            _ => (TimeSpan?)null,
        };

        public static TimeSpan Lifetime(MediaKind kind) => kind == MediaKind.Image ? ImageLifetime : VideoLifetime;

        /// <summary>The estimated expiry (UTC) of a result whose task was first seen succeeded at <paramref name="firstSuccessUtc"/>; null until it succeeded, and for kinds without media links.</summary>
        public static DateTime? Estimate(AsyncTaskStatus status, ResultKind kind, DateTime firstSuccessUtc)
        {
            var lifetime = Lifetime(kind);
            if (status != AsyncTaskStatus.Success || lifetime is null) return null;
            return DateTime.SpecifyKind(firstSuccessUtc, DateTimeKind.Utc) + lifetime.Value;
        }
    }
}
