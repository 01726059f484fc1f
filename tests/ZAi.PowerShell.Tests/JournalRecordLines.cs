using ZAi.PowerShell.Journal;

namespace ZAi.PowerShell.Tests;

/// <summary>A record as the journal writes it, for tests that build or read journal files by hand.</summary>
internal static class JournalRecordLines
{
    /// <summary>The record as one line of JSON, newline included, in an array of its own.</summary>
    public static byte[] ToLine(this JournalRecord record) => new JournalLineWriter().Write(record).ToArray();
}
