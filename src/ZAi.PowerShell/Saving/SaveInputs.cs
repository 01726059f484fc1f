using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// Turns each input of Save-ZAiMedia into a plan of files. An input that lost its media details (see
    /// <see cref="MediaPlanner.LacksMediaDetails"/>) is fetched again from the API, once per task id per run,
    /// and planned from the fresh result; other inputs never cause a request.
    /// </summary>
    internal sealed class SaveInputs
    {
        private readonly ICollection<MediaKind> _kinds;
        private readonly MediaNameTemplate? _template;
        private readonly Func<AsyncResultClient> _createClient;
        private readonly Action<Task> _wait;
        private readonly IZAiLog _log;
        private readonly Dictionary<string, Task<AsyncResult>> _fetched = new Dictionary<string, Task<AsyncResult>>(StringComparer.Ordinal);
        private AsyncResultClient? _client;

        /// <param name="createClient">Makes the API client, only when a first input needs fetching (saving needs no API key otherwise).</param>
        /// <param name="wait">Waits for a fetch on the cmdlet's thread (so Ctrl+C stops it).</param>
        public SaveInputs(ICollection<MediaKind> kinds, MediaNameTemplate? template, Func<AsyncResultClient> createClient, Action<Task> wait, IZAiLog log)
        {
            _kinds = kinds;
            _template = template;
            _createClient = createClient;
            _wait = wait;
            _log = log;
        }

        /// <param name="journalHadFiles">The input's journal records files of its task: an input without any media lacks its links (see <see cref="MediaPlanner.HoldsNoMedia"/>).</param>
        public MediaPlanner.Plan Plan(object input, CancellationToken cancellationToken, bool journalHadFiles = false)
        {
            string taskId;
            if (!MediaPlanner.LacksMediaDetails(input, out taskId) && !(journalHadFiles && MediaPlanner.HoldsNoMedia(input, out taskId)))
            {
                return MediaPlanner.FromInput(input, _kinds, _template);
            }

            if (!_fetched.TryGetValue(taskId, out var fetch))
            {
                _log.Verbose(journalHadFiles
                    ? $"Task '{TaskIdPath.Shown(taskId)}': its links are needed (the journal's files do not answer this save) and the input came without them; fetching the task again."
                    : $"Task '{TaskIdPath.Shown(taskId)}': the input says SUCCESS but lacks its media links (a shallow copy, as from Receive-Job, remoting or a CSV); fetching the task again.");
                var client = _client ??= _createClient();
                fetch = client.GetAsync(taskId, MediaPlanner.AgentIdOf(input), cancellationToken);
                _fetched[taskId] = fetch;
            }
            _wait(fetch);
            if (fetch.IsFaulted) return new MediaPlanner.Plan(taskId, Array.Empty<MediaItem>(), null, fetch.Exception!.GetBaseException());
            return MediaPlanner.FromInput(MediaPlanner.Refetched(fetch.Result, input), _kinds, _template);
        }
    }
}
