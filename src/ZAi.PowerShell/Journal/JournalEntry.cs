using ZAi.PowerShell.Journal;
using System;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Client;

namespace ZAi
{
    /// <summary>
    /// One request of a journal, as Get-ZAiJournal reads it: what was asked, its task, where it stands and the
    /// files saved for it. Plain properties that export cleanly; TaskId, Prompt and Journal bind by name, so
    /// entries pipe into Wait-ZAiAsyncResult, Get-ZAiAsyncResult and Save-ZAiMedia with their prompt kept and
    /// the ledger updated.
    /// </summary>
    public sealed class JournalEntry
    {
        internal JournalEntry(string journal, PowerShell.Journal.LedgerEntry entry, PowerShell.Costs.Prices prices)
        {
            Journal = journal;
            Prompt = entry.Prompt;
            Model = entry.Model;
            RequestId = entry.RequestId;
            TaskId = entry.TaskId;
            State = entry.State.ToString();
            var files = new string[entry.Files.Count];
            for (var i = 0; i < files.Length; i++) files[i] = entry.Files[i].FilePath!;
            Files = files;
            ExpiresAt = entry.ExpiresUtc.HasValue ? new DateTimeOffset(entry.ExpiresUtc.Value, TimeSpan.Zero) : (DateTimeOffset?)null;
            Reason = entry.Reason;
            Line = entry.Line;
            Attempts = entry.Attempts;
            AgentId = entry.Endpoint == PowerShell.Client.GenerationEndpoint.VideoEffect.Path ? entry.Model : null;
            // What the request may have cost by the price table: every send counts (a refused request was never sent).
            EstimatedCost = entry.EstimatedSpend(prices.Estimate);
        }

        /// <summary>The prompt the request was submitted with.</summary>
        public string? Prompt { get; }

        public string? Model { get; }

        /// <summary>The request id sent with the request (the newest, after -RetryFailed).</summary>
        public string RequestId { get; }

        /// <summary>The task the API created; empty while Recorded or Unknown.</summary>
        public string? TaskId { get; }

        /// <summary>Recorded (intent written, not yet accepted), Submitted, Succeeded, Failed, Saved, Unknown (the API holds the request but its task id never arrived), Expired (links expired before its files were saved) or Refused (not sent: over -MaximumCost).</summary>
        public string State { get; }

        /// <summary>The full paths of the files saved for the task.</summary>
        public string[] Files { get; }

        /// <summary>When the task's links are estimated to expire, once a wait saw it finish.</summary>
        public DateTimeOffset? ExpiresAt { get; }

        /// <summary>Why the task failed, or why its id is unknown.</summary>
        public string? Reason { get; }

        /// <summary>The journal line that first recorded the request.</summary>
        public int Line { get; }

        /// <summary>How many request ids the request was sent under (more than 1 after -RetryFailed).</summary>
        public int Attempts { get; }

        /// <summary>For a video effect: the agent that runs it, so Wait-ZAiAsyncResult polls the agents API for it.</summary>
        public string? AgentId { get; }

        /// <summary>The request's estimated price in USD from the price table, each send counted (null when never sent, or the model has no price).</summary>
        public decimal? EstimatedCost { get; }

        /// <summary>The journal's full path.</summary>
        public string Journal { get; }

        public override string ToString() => TaskId ?? RequestId;
    }

    /// <summary>A journal at a glance: how many requests stand where (Get-ZAiJournal -Summary).</summary>
    public sealed class JournalSummary
    {
        internal JournalSummary(string journal, int recorded, int submitted, int succeeded, int failed, int saved, int unknown, int expired, int refused, decimal estimatedSpend)
        {
            Expired = expired;
            Refused = refused;
            EstimatedSpend = estimatedSpend;
            Journal = journal;
            Recorded = recorded;
            Submitted = submitted;
            Succeeded = succeeded;
            Failed = failed;
            Saved = saved;
            Unknown = unknown;
        }

        public string Journal { get; }

        public int Total => Recorded + Submitted + Succeeded + Failed + Saved + Unknown + Expired + Refused;

        public int Recorded { get; }

        public int Submitted { get; }

        public int Succeeded { get; }

        public int Failed { get; }

        public int Saved { get; }

        public int Unknown { get; }

        /// <summary>Tasks whose links expired before their files were saved (-RetryFailed submits them again).</summary>
        public int Expired { get; }

        /// <summary>Requests the budget refused (never sent).</summary>
        public int Refused { get; }

        /// <summary>The estimated price in USD of every send that may be billed (Recorded and Unknown requests and each -RetryFailed attempt included), from the price table.</summary>
        public decimal EstimatedSpend { get; }
    }
}
