using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// One <see cref="SubmissionCapacity"/> per account (base URI and key) in the process, shared by every
    /// submitting command, and the finish of any of their tasks seen by any command (a Wait, a Get, the
    /// submitters' own polls), so capacity frees the moment anyone learns a task ended.
    /// </summary>
    internal static class AccountCapacities
    {
        private static readonly ConcurrentDictionary<string, SubmissionCapacity> ByAccount = new ConcurrentDictionary<string, SubmissionCapacity>(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, SubmissionCapacity> ByTask = new ConcurrentDictionary<string, SubmissionCapacity>(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, Action> Waited = new ConcurrentDictionary<string, Action>(StringComparer.Ordinal);

        public static SubmissionCapacity For(ConnectionSettings settings)
        {
            return ByAccount.GetOrAdd(AccountKey(settings), _ => new SubmissionCapacity());
        }

        /// <summary>Records that <paramref name="taskId"/> was submitted through <paramref name="capacity"/>.</summary>
        public static void Track(SubmissionCapacity capacity, string taskId)
        {
            capacity.Accepted(taskId);
            ByTask[taskId] = capacity;
        }

        /// <summary>Records a task of an earlier run that may still hold room on the account.</summary>
        public static void Adopt(SubmissionCapacity capacity, string taskId)
        {
            capacity.Adopt(taskId);
            ByTask[taskId] = capacity;
        }

        /// <summary>Called with every task result read in the process: a finished task of ours frees its room.</summary>
        public static void Observe(AsyncResult result)
        {
            if (!result.IsTerminal) return;
            if (ByTask.TryRemove(result.Id, out var capacity)) capacity.Finished(result.Id);
        }

        /// <summary>
        /// A Wait-ZAiAsyncResult polls <paramref name="taskId"/>. When the submitters want to know whether it finished,
        /// they <see cref="TryNudge"/> that wait to poll now instead of polling themselves: the wait then sees the
        /// finish first, so its result is ready to go down the pipeline by the time the freed room lets the next
        /// submission out, and the task is not polled twice.
        /// </summary>
        public static void WaitStarted(string taskId, Action nudge) => Waited[taskId] = nudge;

        public static void WaitEnded(string taskId) => Waited.TryRemove(taskId, out _);

        /// <summary>Asks the wait polling <paramref name="taskId"/> to poll now; false when no wait polls it.</summary>
        public static bool TryNudge(string taskId)
        {
            if (!Waited.TryGetValue(taskId, out var nudge)) return false;
            nudge();
            return true;
        }

        /// <summary>The account's identity without the key: a hash of the base URI and the key.</summary>
        private static string AccountKey(ConnectionSettings settings)
        {
            using var sha = SHA256.Create();
            var key = settings.ApiKey?.Reveal() ?? string.Empty;
            return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(settings.BaseUri.AbsoluteUri + "\n" + key)));
        }
    }
}
