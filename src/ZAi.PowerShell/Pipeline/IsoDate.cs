using System;
using System.Globalization;
using System.Management.Automation;

namespace ZAi
{
    /// <summary>
    /// The dates of results as PowerShell shows them (ZAi.types.ps1xml): the same DateTime, whose text is ISO 8601
    /// with the offset, so Export-Csv writes '2026-12-04T10:59:39.1234567Z' instead of the session culture's
    /// '12/04/2026 10:59:39'. Comparisons, date arithmetic, casts, DateTime's own ToString formats, JSON and CLIXML
    /// see the DateTime itself.
    /// </summary>
    public static class IsoDate
    {
        /// <summary>AsyncResult.RetrievedAt.</summary>
        public static object? RetrievedAt(PSObject instance) =>
            instance?.BaseObject is AsyncResult result ? Wrap(result.RetrievedAt) : null;

        /// <summary>AsyncResult.ExpiresAt and SavedMediaFile.ExpiresAt.</summary>
        public static object? ExpiresAt(PSObject instance) => instance?.BaseObject switch
        {
            AsyncResult result => Wrap(result.ExpiresAt),
            SavedMediaFile file => Wrap(file.ExpiresAt),
            _ => null,
        };

        /// <summary>JournalEntry.ExpiresAt (a DateTimeOffset, given as the same instant in UTC).</summary>
        public static object? JournalExpiresAt(PSObject instance) =>
            instance?.BaseObject is JournalEntry entry ? Wrap(entry.ExpiresAt?.UtcDateTime) : null;

        /// <summary>ZAiContext.ConnectedAt.</summary>
        public static object? ConnectedAt(PSObject instance) =>
            instance?.BaseObject is ZAiContext context ? Wrap(context.ConnectedAt) : null;

        /// <summary>The one format of dates in the module's tables and lists (ZAi.format.ps1xml).</summary>
        public const string DisplayFormat = "yyyy-MM-dd HH:mm:ss zzz";

        /// <summary>A date as every view shows it: local time with its offset, the same in every culture
        /// ('2026-12-07 04:52:39 +01:00'); empty for null. Takes a DateTime (UTC when unspecified), a DateTimeOffset,
        /// or either wrapped in a PSObject.</summary>
        public static string Display(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            DateTimeOffset? date = value switch
            {
                DateTimeOffset offset => offset.ToLocalTime(),
                DateTime time => new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time).ToLocalTime(),
                _ => null,
            };
            return date?.ToString(DisplayFormat, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        internal static PSObject? Wrap(DateTime? value)
        {
            if (value is null) return null;
            var date = value.Value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value.Value, DateTimeKind.Utc) : value.Value;
            return new Wrapped(date);
        }

        /// <summary>
        /// A wrapped date: Export-Csv calls the wrapper's own ToString(), overridden here. (A code method added to each
        /// wrapper cost PowerShell a compiled invoker per date on its first call: about 0.7 ms and native code memory
        /// each, 4,000 of them when a 2,000-prompt re-run's saved files go to Export-Csv.)
        /// </summary>
        private sealed class Wrapped : PSObject
        {
            public Wrapped(DateTime date) : base(date) { }

            public override string ToString() => ((DateTime)BaseObject).ToString("o", CultureInfo.InvariantCulture);
        }
    }
}
