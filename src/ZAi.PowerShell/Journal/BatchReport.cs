using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// Where a journal's batch stands when the last command using it ends: done (every request saved, or on its
    /// way), or not done because some requests ended unsaved (failed, expired, unknown, refused). The sentence a
    /// scheduler's log keeps, with the counts and the command that lists them.
    /// </summary>
    internal sealed class BatchReport
    {
        private BatchReport(string journal, IReadOnlyList<LedgerEntry> entries)
        {
            Journal = journal;
            Total = entries.Count;
            foreach (var entry in entries)
            {
                // A request without an idempotency key (the agents API) recorded without an answer is never sent
                // again: it may exist and be billed, so it stands as Unknown, not as on its way.
                var state = entry.State == LedgerState.Recorded && entry.Endpoint == AgentsEndpoint ? LedgerState.Unknown : entry.State;
                Counts.TryGetValue(state, out var n);
                Counts[state] = n + 1;
            }
        }

        /// <summary>The path the journal records for video effects (GenerationEndpoint.VideoEffect).</summary>
        public static string AgentsEndpoint => Client.GenerationEndpoint.VideoEffect.Path;

        public string Journal { get; }

        public int Total { get; }

        public Dictionary<LedgerState, int> Counts { get; } = new Dictionary<LedgerState, int>();

        public int Count(LedgerState state) => Counts.TryGetValue(state, out var n) ? n : 0;

        /// <summary>Requests that ended without their files and that no waiting will change.</summary>
        public int EndedUnsaved => Count(LedgerState.Failed) + Count(LedgerState.Expired) + Count(LedgerState.Unknown) + Count(LedgerState.Refused);

        /// <summary>True when nothing ended unsaved: every request is saved or still on its way.</summary>
        public bool Done => EndedUnsaved == 0;

        public static BatchReport Of(JournalFile journal) => new BatchReport(journal.Path, journal.Entries());

        /// <summary>"The batch of journal '…' is not done: 17 of 20 requests saved; 1 failed, 1 expired, ...".</summary>
        public string Describe()
        {
            var parts = new List<string>();
            void Add(LedgerState state, string words)
            {
                var n = Count(state);
                if (n > 0) parts.Add(n.ToString(CultureInfo.InvariantCulture) + " " + words);
            }
            Add(LedgerState.Failed, "failed");
            Add(LedgerState.Expired, "expired before they were saved");
            Add(LedgerState.Unknown, "unknown (billed, task id never received)");
            Add(LedgerState.Refused, "refused by -MaximumCost (not sent)");
            var open = Count(LedgerState.Recorded) + Count(LedgerState.Submitted) + Count(LedgerState.Succeeded);
            if (open > 0) parts.Add(open.ToString(CultureInfo.InvariantCulture) + " not saved yet");
            var states = string.Join(",", new[] { LedgerState.Failed, LedgerState.Expired, LedgerState.Unknown, LedgerState.Refused }.Where(s => Count(s) > 0));
            return $"The batch of journal '{Journal}' is not done: {Count(LedgerState.Saved)} of {Total} request(s) saved; {string.Join(", ", parts)}. "
                + $"Get-ZAiJournal '{Journal}' -State {states} lists them.";
        }

        /// <summary>What the user can do about the requests that ended unsaved.</summary>
        public string Advice()
        {
            var advice = new List<string>();
            if (Count(LedgerState.Failed) + Count(LedgerState.Expired) > 0) advice.Add("run again with -RetryFailed to submit the failed and expired prompts once more (billed again)");
            if (Count(LedgerState.Refused) > 0) advice.Add("raise -MaximumCost to submit the refused prompts");
            if (Count(LedgerState.Unknown) > 0) advice.Add("find the unknown tasks by their request id in the Z.AI console");
            return char.ToUpperInvariant(advice[0][0]) + string.Join("; ", advice).Substring(1) + ".";
        }
    }
}
