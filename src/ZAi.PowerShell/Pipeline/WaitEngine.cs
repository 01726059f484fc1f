using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Timing;
using ZAi.PowerShell.Waiting;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Wait-ZAiAsyncResult's work: polls each task from the moment it arrives, writes each result the moment its task
    /// finishes (completion order), records each end in the task's journal before the result goes on, and passes on
    /// without a request a task the journal records as saved with its files still on disk. FAIL tasks and timeouts
    /// are the task's error; a journaled failure is a warning now and part of the batch's report at its end. Writes
    /// only through the sink, on the cmdlet's thread; the connection is made at the first task.
    /// </summary>
    internal sealed class WaitEngine : IDisposable
    {
        private const int ProgressActivityId = 0x2A1;
        private readonly WaitOptions _options;
        private readonly IPipelineSink _sink;
        private readonly WriteQueue _queue;
        private readonly CancellationToken _stop;
        private readonly Func<Action<ZAiApiException>, ApiRequestSender> _connect;
        private readonly Func<string, string> _fullPath;
        private readonly Action<ErrorRecord> _fail;
        private readonly IClock _clock;
        private readonly bool _inputComplete;
        private readonly WaitLedger _ledger;
        // Every id of the command, to poll each once; what else a task needs travels with it (WaitItem) and is let go once written.
        private readonly HashSet<string> _ids = new HashSet<string>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, string> _agents = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private TaskWaiter? _waiter;
        private ItemEngine<WaitItem, AsyncResult>? _engine;
        private WaitProgressReporter? _progress;
        private string? _lastJournal;
        private string? _lastJournalPath;

        /// <param name="connect">A request sender for the current connection, given the callback of its transient failures (the cmdlet's CreateSender).</param>
        /// <param name="fullPath">Turns a journal path as given into a file system path.</param>
        /// <param name="fail">Throws a terminating error (a journal in use by another process); it does not return.</param>
        /// <param name="inputComplete">No more input may come (the ids are all in the parameters): progress shows the total, not "so far".</param>
        public WaitEngine(WaitOptions options, IPipelineSink sink, WriteQueue queue, CancellationToken stop, Func<Action<ZAiApiException>, ApiRequestSender> connect, Func<string, string> fullPath, Action<ErrorRecord> fail, bool inputComplete, IClock? clock = null)
        {
            _options = options;
            _sink = sink;
            _queue = queue;
            _stop = stop;
            _connect = connect;
            _fullPath = fullPath;
            _fail = fail;
            _inputComplete = inputComplete;
            _clock = clock ?? SystemClock.Instance;
            _ledger = new WaitLedger(message => queue.Post(() => sink.WriteWarning(message)), _clock);
        }

        /// <summary>A journal's path as given, as a file system path. Every task Start writes carries the same full path:
        /// it is resolved once, not once per task (PowerShell's path resolution asks the system for the drive each time).</summary>
        private string FullPath(string journal)
        {
            if (!System.IO.Path.IsPathRooted(journal)) return _fullPath(journal);
            if (!string.Equals(journal, _lastJournal, StringComparison.Ordinal))
            {
                _lastJournalPath = _fullPath(journal);
                _lastJournal = journal;
            }
            return _lastJournalPath!;
        }

        /// <summary>Starts waiting for one task of the input; a task already in the list is polled once. On the cmdlet's thread; call <see cref="Pump"/> after a record's tasks.</summary>
        /// <param name="prompt">The prompt bound with the task, if any; else the journal's.</param>
        /// <param name="journal">The journal bound with the task (as given), if any.</param>
        /// <param name="agentId">The agent that runs the task (agents API), if any: it travels with the task to every poll.</param>
        public void Add(string id, string? prompt, string? journal, string? agentId)
        {
            if (!_ids.Add(id))
            {
                _sink.WriteVerbose($"Task '{TaskIdPath.Shown(id)}' is already in the list; it is polled once.");
                return;
            }
            var engine = _engine ??= Start();
            var path = string.IsNullOrEmpty(journal) ? null : FullPath(journal!);
            JournalFile? file;
            try
            {
                file = _ledger.Open(path);
            }
            catch (JournalBusyException ex)
            {
                _fail(ErrorRecords.JournalFault(ex, path));
                throw;
            }
            var entry = file?.FindTask(id);
            var item = new WaitItem(id, prompt ?? entry?.Prompt, path, file);
            if (agentId != null) _agents[id] = agentId;
            if (entry != null && entry.FilesIntact())
            {
                _sink.WriteVerbose($"Task '{TaskIdPath.Shown(id)}': the journal records its files as saved; not polled, so its result goes on without links (Save-ZAiMedia fetches them once if it needs them).");
                item.Saved = entry;
            }
            engine.Add(item);
        }

        /// <summary>Writes what is ready now, without waiting.</summary>
        public void Pump() => _engine?.Pump();

        /// <summary>Writes every result as its task ends, until all are written; then says how the wait ended and, for each journal this command was the last to use, the batch's end.</summary>
        public void Complete()
        {
            if (_engine is null) return;
            _progress!.InputComplete = true;
            IReadOnlyList<JournalFile> closedLast;
            try
            {
                _engine.Complete();
            }
            finally
            {
                _progress.Complete();
                closedLast = _ledger.Close();
            }
            _sink.WriteVerbose($"Wait ended after {_waiter!.Snapshot().Summary()}.");
            foreach (var journal in closedLast) JournalEnd.Report(_sink, journal);
        }

        /// <summary>Lets go of the journals (also after a stop, when Complete never ran).</summary>
        public void Dispose() => _ledger.Dispose();

        /// <summary>The files Save-ZAiMedia makes of a result: each video, its cover when it has one, each image.</summary>
        internal static int MediaFileCount(AsyncResult result)
        {
            var files = result.ImageResult.Count;
            foreach (var video in result.VideoResult) files += string.IsNullOrEmpty(video.CoverImageUrl) ? 1 : 2;
            return files;
        }

        /// <summary>An error about a task names the prompt it was submitted with, when known.</summary>
        private static string PromptLabel(WaitItem item) => Binding.InputRows.PromptLabel(item.Prompt);

        /// <summary>One task's wait, its end recorded in its journal before the result goes on.</summary>
        private async Task<AsyncResult> WaitAsync(WaitItem item, CancellationToken stop)
        {
            if (item.Saved != null) return LedgerResult.Saved(item.Saved, _clock.UtcNow);
            try
            {
                var result = await _waiter!.WaitForSuccessAsync(item.Id, stop).ConfigureAwait(false);
                _ledger.Finished(item.Journal, item.Id, succeeded: true, null, result.ExpiresAt, MediaFileCount(result));
                return result;
            }
            catch (ZAiTaskFailedException failed) when (!failed.TimedOut)
            {
                _ledger.Finished(item.Journal, item.Id, succeeded: false, failed.Message, null);
                if (item.Journal != null)
                {
                    // A journaled batch goes on: the failure is said now and reported with the batch's end, so a
                    // runbook under -ErrorAction Stop saves every other prompt before it fails.
                    _queue.Post(() => _sink.WriteWarning(PromptLabel(item) + failed.Message + " The journal records it; the run reports it at its end."));
                    return null!;
                }
                throw;
            }
        }

        private ItemEngine<WaitItem, AsyncResult> Start()
        {
            var gate = new RateLimitGate();
            var sender = _connect(error =>
            {
                if (error.Reason == ZAiErrorReason.RateLimited) gate.OnRateLimited(error.RetryAfter);
            });
            var account = sender.Settings.Account();
            var client = new AsyncResultClient(sender, account);
            _sink.WriteVerbose($"Waiting for tasks as they arrive: {_options.Describe()}.");
            _waiter = new TaskWaiter((id, stop) => client.GetAsync(id, _agents.TryGetValue(id, out var agent) ? agent : null, stop), _options, gate, new WaitObserver(_sink, _queue, account.RecentTaskIds), _clock, account);
            _progress = new WaitProgressReporter(_sink, ProgressActivityId, TimeSpan.FromMilliseconds(250)) { InputComplete = _inputComplete };
            var engine = new ItemEngine<WaitItem, AsyncResult>(_sink, _queue, _stop, WaitAsync, Write, OutputOrder.Completion, target: item => item.Id, label: PromptLabel);
            engine.Tick = () => _progress.Update(_waiter.Snapshot().Counting(_ids.Count));
            return engine;
        }

        private void Write(WaitItem item, AsyncResult result)
        {
            if (result is null) return;   // a journaled failure: said as a warning, reported at the batch's end
            UnreadFieldsWarning.WriteOnce(_sink, result);
            _sink.WriteObject(JournalNote.Attach(PromptNote.Attach(result, item.Prompt), item.JournalPath));
        }

        /// <summary>One task of the input and what its wait needs: the prompt it names in errors and output, its journal, and its saved entry when it is not polled.</summary>
        private sealed class WaitItem
        {
            public WaitItem(string id, string? prompt, string? journalPath, JournalFile? journal)
            {
                Id = id;
                Prompt = prompt;
                JournalPath = journalPath;
                Journal = journal;
            }

            public string Id { get; }

            public string? Prompt { get; }

            /// <summary>The journal's path as the output names it (null without one, even when it cannot be written).</summary>
            public string? JournalPath { get; }

            /// <summary>The journal its end is recorded in; null when it came without one or the journal cannot be written.</summary>
            public JournalFile? Journal { get; }

            /// <summary>The journal records its files as saved and on disk: its result goes on without a request.</summary>
            public LedgerEntry? Saved { get; set; }
        }
    }
}
