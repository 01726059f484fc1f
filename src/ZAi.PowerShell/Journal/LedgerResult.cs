using System;
using System.Collections.Generic;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Journal
{
    /// <summary>Results that come from the journal instead of the API.</summary>
    internal static class LedgerResult
    {
        /// <summary>
        /// A task the journal holds as submitted, for a re-run that adopts it instead of sending it again: PROCESSING,
        /// no media yet, its kind from its model. It carries the journal's own task id string, so the commands downstream
        /// that keep every task id (Wait) keep no second copy of it.
        /// </summary>
        public static AsyncResult Submitted(string taskId, string model, string requestId, DateTime retrievedAtUtc) =>
            new AsyncResult(
                taskId,
                model,
                AsyncTaskStatus.Processing,
                "PROCESSING",
                requestId,
                KnownModels.KindOf(model),
                Array.Empty<VideoResult>(),
                Array.Empty<ImageResult>(),
                new Dictionary<string, object?>(),
                retrievedAtUtc);

        /// <summary>
        /// A task the journal records as saved: SUCCESS, with no links (its files are on disk already). Save-ZAiMedia
        /// reads such a result with its journal: files in its -Path need no links, files elsewhere are copied, and
        /// only when neither answers does it fetch the task once for its links.
        /// </summary>
        public static AsyncResult Saved(LedgerEntry entry, DateTime retrievedAtUtc)
        {
            var kind = entry.Endpoint != null && entry.Endpoint.IndexOf("image", StringComparison.OrdinalIgnoreCase) >= 0 ? ResultKind.Image : ResultKind.Video;
            return new AsyncResult(
                entry.TaskId!,
                entry.Model,
                AsyncTaskStatus.Success,
                "SUCCESS",
                entry.RequestId,
                kind,
                Array.Empty<VideoResult>(),
                Array.Empty<ImageResult>(),
                new Dictionary<string, object?>(),
                retrievedAtUtc,
                entry.ExpiresUtc);
        }
    }
}
