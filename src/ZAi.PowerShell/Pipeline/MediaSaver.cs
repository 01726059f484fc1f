using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Save-ZAiMedia's work: plans the files of each input as it arrives (skip what is saved, copy what the journal
    /// holds intact in another folder, refuse what cannot be saved, ask ShouldProcess), downloads or copies the rest
    /// through the engine several at a time, and writes each saved file the moment it is complete. Every decision
    /// is made by this run's -Path, -Kind and -Force; the journal only says what is where. Everything that writes
    /// to the pipeline or claims a name runs on the cmdlet's thread.
    /// </summary>
    internal sealed class MediaSaver
    {
        private const int ProgressActivityId = 0x2A2 << 8;
        private readonly SaveOptions _options;
        private readonly SaveInputs _inputs;
        private readonly FileDownloader _downloader;
        private readonly IPipelineSink _sink;
        private readonly ItemEngine<MediaJob, Saved> _engine;
        private readonly SaveProgressReporter _progress;
        private readonly FileNameClaims _names;
        private readonly SaveLedger _ledger;
        private readonly ConcurrentDictionary<DownloadProgress, bool> _active = new ConcurrentDictionary<DownloadProgress, bool>();
        private readonly CancellationToken _stop;
        private readonly WriteQueue _queue;
        private readonly EmptyPromptWarning _emptyPrompt;
        private bool _folderChecked;
        private string? _folderProblem;
        private bool _chatSaid;
        private int _total;
        private int _done;
        private long _finishedBytes;
        private long _finishedReceived;

        /// <param name="folders">How folder names compare; the platform's file system when null (tests inject another).</param>
        public MediaSaver(SaveOptions options, SaveInputs inputs, FileDownloader downloader, IPipelineSink sink, WriteQueue queue, CancellationToken stop, StringComparer? folders = null)
        {
            _options = options;
            _names = new FileNameClaims(templated: options.NameTemplate != null);
            // Warnings of the journal can come from download threads: they are handed to the cmdlet's thread.
            _ledger = new SaveLedger(options.Folder, _names, message => queue.Post(() => sink.WriteWarning(message)), folders, downloader.Clock);
            _emptyPrompt = new EmptyPromptWarning(options.NameTemplate);
            _inputs = inputs;
            _stop = stop;
            _queue = queue;
            _downloader = downloader;
            _sink = sink;
            _progress = new SaveProgressReporter(sink, ProgressActivityId, TimeSpan.FromMilliseconds(250), downloader.Clock);
            _engine = new ItemEngine<MediaJob, Saved>(sink, queue, stop, SaveAsync, Write, OutputOrder.Completion, options.ThrottleLimit, job => job.Input)
            {
                Tick = () => _progress.Update(_total, Volatile.Read(ref _done), _active.Keys.ToList(), Interlocked.Read(ref _finishedBytes), Interlocked.Read(ref _finishedReceived)),
            };
        }

        /// <summary>Plans and starts the files of one input object. On the cmdlet's thread.</summary>
        public void Add(PSObject input)
        {
            // The journal is opened (and its names in this folder reserved) before any name is claimed.
            var entry = _ledger.Open(input);
            if (entry != null && !_options.Force && AnswerFromJournal(entry, input))
            {
                _engine.Pump();
                return;
            }
            var plan = _inputs.Plan(input, _stop, journalHadFiles: entry != null && entry.Files.Count > 0);
            if (plan.Failure != null) _sink.WriteError(ErrorRecords.FromException(plan.Failure, input));
            // Links past their estimated expiry are tried anyway; the error of a refused link says it all, once.
            foreach (var warning in LinkExpiry.Warnings(plan.Items, _downloader.Clock.UtcNow)) _sink.WriteVerbose(warning);
            if (_emptyPrompt.Check(plan.Items) is string noPrompt) _sink.WriteWarning(noPrompt);
            if (plan.Unread != null) _sink.WriteWarning(plan.Unread);
            if (plan.NoMediaReason != null) NoMedia(plan, input);
            foreach (var item in plan.Items)
            {
                var copy = _options.Force || entry is null ? null : entry.IntactElsewhere(item.Kind, item.Index, _options.Folder, _ledger.Folders);
                Place(item, input, entry, copy);
            }
            _engine.Pump();
        }

        /// <summary>Writes every file as it completes, until all are done; a stop ends it at once. Returns the journals this command was the last to use.</summary>
        public IReadOnlyList<Journal.JournalFile> Complete()
        {
            try
            {
                _engine.Complete();
            }
            finally
            {
                _progress.Complete();
            }
            return _ledger.Close();
        }

        /// <summary>Lets go of the journals (after a stop, when Complete never ran).</summary>
        public void Dispose() => _ledger.Dispose();

        /// <summary>
        /// When the journal knows every file of the task and each file asked for (-Kind) is intact in this folder or
        /// another, saves the task without a request: files here are output as they are, others copied here.
        /// </summary>
        private bool AnswerFromJournal(LedgerEntry entry, PSObject input)
        {
            if (!entry.KnowsEveryFile()) return false;
            var here = new List<SavedFileRecord>();
            var copies = new List<SavedFileRecord>();
            foreach (var (kind, index) in entry.SavedItems())
            {
                if (!_options.Kinds.Contains(kind)) continue;
                var file = entry.SavedIn(kind, index, _options.Folder, _ledger.Folders);
                if (file != null && file.Intact())
                {
                    here.Add(file);
                    continue;
                }
                var elsewhere = entry.IntactElsewhere(kind, index, _options.Folder, _ledger.Folders);
                if (elsewhere is null) return false;   // its link is needed
                copies.Add(elsewhere);
            }
            var shown = Client.TaskIdPath.Shown(entry.TaskId!);
            if (here.Count + copies.Count == 0)
            {
                var error = new ZAiMediaException(MediaErrorReason.NoMedia, $"Task '{shown}' has no media of the kinds asked for (-Kind {string.Join(", ", _options.Kinds)}); the journal records its files as {string.Join(", ", entry.SavedItems().Select(i => i.Kind).Distinct())}.");
                _sink.WriteError(ErrorRecords.FromException(error, input));
                return true;
            }
            foreach (var file in here)
            {
                // The journal says this file was saved here and it is on disk as saved: no request at all.
                var kind = file.Kind()!.Value;
                _sink.WriteVerbose($"Skipped {kind.ToString().ToLowerInvariant()} {file.FileIndex} of task '{shown}': the journal records it saved as '{file.FilePath}'.");
                _sink.WriteObject(new SavedMediaFile(file.FilePath!, entry.TaskId!, kind, file.FileIndex, null, false, entry.Prompt, entry.ExpiresUtc));
            }
            foreach (var file in copies)
            {
                var prompt = entry.Prompt ?? Text(input, "Prompt");
                var item = new MediaItem(entry.TaskId!, file.Kind()!.Value, file.FileIndex, null, null, prompt, entry.ExpiresUtc,
                    _options.NameTemplate?.BaseName(entry.TaskId!, file.Kind()!.Value, file.FileIndex, prompt));
                Place(item, input, entry, file);
            }
            return true;
        }

        /// <summary>One file: claims its name, then skips it (saved), or queues its copy or download.</summary>
        private void Place(MediaItem item, PSObject input, LedgerEntry? entry, SavedFileRecord? copyFrom)
        {
            // A template names files by prompt, so two tasks often share a name: the later one gets its task id added.
            var claimed = _names.Claim(item, _ledger.RecordedNames(item));
            if (claimed is null) return;
            item = claimed;
            if (item.Url != null)
            {
                try
                {
                    FileDownloader.CheckUrl(item);
                }
                catch (ZAiMediaException error)
                {
                    _sink.WriteError(ErrorRecords.FromException(error, item.Url));
                    return;
                }
            }

            string? existing;
            try
            {
                existing = Existing(item, copyFrom);
                if (existing != null && !_options.NoClobber && !IsThisTasks(item, existing, entry))
                {
                    // A file of this name that nothing shows to be this task's is never taken for it, nor overwritten.
                    var other = existing;
                    item = _names.ClaimAnother(item);
                    existing = Existing(item, copyFrom);
                    var why = $"'{other}' exists, and nothing shows it is the {item.Describe()} (the input's journal does not record it, and its name does not hold the task id)";
                    // Said as a warning when a new file is written beside it; an earlier run's file under the distinct name is this task's.
                    if (existing is null) _sink.WriteWarning($"{why}; the {item.Kind.ToString().ToLowerInvariant()} is saved as '{item.BaseName}' instead. Remove or rename the other file to use the name; give Start-* a -Journal so later runs know which file is whose.");
                    else _sink.WriteVerbose($"{why}; the task's file is '{existing}'.");
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is PathTooLongException || ex is NotSupportedException)
            {
                WriteFailed($"Cannot save the {item.Describe()} in '{_options.Folder}': {ex.Message}", item, ex, input);
                return;
            }

            if (existing != null && _options.NoClobber)
            {
                var error = new ZAiMediaException(MediaErrorReason.FileExists, $"'{existing}' exists and -NoClobber was given; the {item.Describe()} was not downloaded.", item.Url);
                _sink.WriteError(ErrorRecords.FromException(error, existing));
                return;
            }
            if (existing != null && !_options.Force)
            {
                _sink.WriteVerbose($"Skipped the {item.Describe()}: '{existing}' already exists (use -Force to download it again).");
                _ledger.Record(input, item, existing, null);
                _sink.WriteObject(Output(existing, item, downloaded: false));
                return;
            }

            var extension = copyFrom != null ? Path.GetExtension(copyFrom.FilePath!).ToLowerInvariant() : MediaFileNames.Extension(item.Kind, null, item.Url);
            var predicted = MediaFileNames.Within(_options.Folder, item.BaseName + extension);
            var action = copyFrom != null ? $"Copy {item.Kind} from '{copyFrom.FilePath}'" : item.Url is null ? $"Save inline {item.Kind}" : $"Download {item.Kind} from {new Uri(item.Url).Host}";
            if (!_sink.ShouldProcess(existing ?? predicted, action)) return;
            if (!FolderWritable(item)) return;

            _total++;
            _sink.WriteVerbose(copyFrom != null
                ? $"Queued the {item.Describe()} for '{_options.Folder}': copied from '{copyFrom.FilePath}', where the journal records it saved and intact."
                : $"Queued the {item.Describe()} for '{_options.Folder}'.");
            _engine.Add(new MediaJob(item, input, copyFrom));
        }

        /// <summary>The file this item has in the folder, if any (a copy keeps the extension of the file it copies).</summary>
        private string? Existing(MediaItem item, SavedFileRecord? copyFrom)
        {
            if (copyFrom is null) return MediaFileNames.Existing(_options.Folder, item);
            var path = MediaFileNames.Within(_options.Folder, item.BaseName + Path.GetExtension(copyFrom.FilePath!).ToLowerInvariant());
            if (SafeFile.IsLink(path)) throw new InvalidOperationException(new LinkRefusedException(path).Message);
            return File.Exists(path) ? path : MediaFileNames.Existing(_options.Folder, item);
        }

        /// <summary>
        /// Whether the file at the item's name can be taken for this task's: the journal records it for this item
        /// (with its length), or its name holds the task id (names by task id, a template with {TaskId}, or the
        /// distinct name a collision gave). A '{Prompt}' name alone may be any task's.
        /// </summary>
        private bool IsThisTasks(MediaItem item, string existing, LedgerEntry? entry)
        {
            if (entry != null && entry.Records(item.Kind, item.Index, existing, _ledger.Folders)) return true;
            var template = _options.NameTemplate;
            if (template is null || template.UsesTaskId) return true;
            return item.BaseName.IndexOf(MediaFileNames.SafeStem(item.TaskId), StringComparison.Ordinal) >= 0;
        }

        /// <summary>The folder is checked once, before the first file: one error naming it when it cannot be written.</summary>
        private bool FolderWritable(MediaItem item)
        {
            if (!_folderChecked)
            {
                _folderChecked = true;
                _folderProblem = SaveFolder.Problem(_options.Folder);
                if (_folderProblem != null)
                {
                    var error = new ZAiMediaException(MediaErrorReason.WriteFailed, _folderProblem, item.Url);
                    _sink.WriteError(ErrorRecords.FromException(error, _options.Folder));
                }
            }
            if (_folderProblem is null) return true;
            _sink.WriteVerbose($"Not saved: the {item.Describe()}; the folder '{_options.Folder}' cannot be written (see the error above).");
            return false;
        }

        private void NoMedia(MediaPlanner.Plan plan, PSObject input)
        {
            if (!plan.NoMediaByKind)
            {
                _sink.WriteError(ErrorRecords.FromException(new ZAiMediaException(MediaErrorReason.NoMedia, plan.NoMediaReason!), input));
                return;
            }
            // A chat completion has no media by its kind: no error (a mixed pipeline goes on under -ErrorAction Stop), said once.
            if (_chatSaid)
            {
                _sink.WriteVerbose(plan.NoMediaReason!);
                return;
            }
            _chatSaid = true;
            _sink.WriteWarning(plan.NoMediaReason! + " Later chat results are passed over without a warning (see -Verbose).");
        }

        private void WriteFailed(string message, MediaItem item, Exception inner, object target)
        {
            var error = new ZAiMediaException(MediaErrorReason.WriteFailed, message, item.Url, inner: inner);
            _sink.WriteError(ErrorRecords.FromException(error, target));
        }

        /// <summary>One file's copy or download, off the cmdlet's thread; recorded in the journal before it goes down the pipeline.</summary>
        private async Task<Saved> SaveAsync(MediaJob job, CancellationToken stop)
        {
            _active[job.Progress] = true;
            try
            {
                if (job.CopyFrom != null)
                {
                    try
                    {
                        var (copied, copySha) = SavedCopy.Copy(job.CopyFrom, job.Item, _options.Folder, job.Progress);
                        _ledger.Record(job.Input, job.Item, copied, copySha);
                        return new Saved(copied, downloaded: false, job.CopyFrom.FilePath);
                    }
                    catch (SourceChangedException changed) when (job.Item.Url != null)
                    {
                        QueuedVerbose($"Downloading the {job.Item.Describe()} instead of copying it: {changed.Message}.");
                    }
                    catch (SourceChangedException changed)
                    {
                        throw new ZAiMediaException(MediaErrorReason.WriteFailed, $"The {job.Item.Describe()} was not copied: {changed.Message}. Run Save-ZAiMedia again with -Force to download it again while its link lives.", null, inner: changed);
                    }
                }
                var path = await _downloader.DownloadAsync(job.Item, _options.Folder, job.Progress, stop).ConfigureAwait(false);
                // Recorded before the file goes down the pipeline, so a re-run skips it without a request.
                // The hash lets a later run trust the file from another folder: only worth reading the file back for a journal.
                _ledger.Record(job.Input, job.Item, path, _ledger.Journaled(job.Input) ? FileSha256.Of(path) : null);
                return new Saved(path, downloaded: true, null);
            }
            catch (ZAiMediaException error)
            {
                var explained = SaveFolder.ExplainDiskFull(LinkExpiry.Explain(error, job.Item, _downloader.Clock.UtcNow), job.Item, _options.Folder);
                if (explained.Reason == MediaErrorReason.LinkExpired && _ledger.Expired(job.Input, job.Item.TaskId, explained.Message))
                {
                    // Recorded in the journal: a warning now, and the run's end reports the batch as not done, so a
                    // runbook under -ErrorAction Stop saves every other file first.
                    _queue.Post(() => _sink.WriteWarning(explained.Message + " The journal records the task as Expired; -RetryFailed submits it again."));
                    return Saved.Nothing;
                }
                throw explained;
            }
            catch (UriFormatException error)
            {
                // HttpClient follows a redirect before the downloader sees it; a Location such as file:// fails there.
                throw new ZAiMediaException(MediaErrorReason.InvalidUrl, $"The media host redirected the link of the {job.Item.Describe()} to an address that is not an http or https URL ({error.Message}); nothing was saved.", job.Item.Url);
            }
            catch (IOException error) when (!(error is LinkRefusedException))
            {
                // Reading a downloaded file back for its hash.
                throw SaveFolder.ExplainDiskFull(DownloadErrors.WriteFailed(job.Item, _options.Folder, error), job.Item, _options.Folder);
            }
            finally
            {
                _active.TryRemove(job.Progress, out _);
                Interlocked.Add(ref _finishedBytes, job.Progress.Bytes);
                Interlocked.Add(ref _finishedReceived, job.Progress.Received);
                Interlocked.Increment(ref _done);
            }
        }

        private void QueuedVerbose(string message) => _queue.Post(() => _sink.WriteVerbose(message));

        private void Write(MediaJob job, Saved saved)
        {
            if (ReferenceEquals(saved, Saved.Nothing)) return;
            _sink.WriteVerbose(saved.CopiedFrom != null
                ? $"Copied the {job.Item.Describe()} from '{saved.CopiedFrom}' to '{saved.Path}' ({SaveProgressReporter.Size(job.Progress.Bytes)})."
                : $"Saved the {job.Item.Describe()} to '{saved.Path}' ({SaveProgressReporter.Size(job.Progress.Bytes)}).");
            _sink.WriteObject(Output(saved.Path, job.Item, saved.Downloaded));
        }

        private static SavedMediaFile Output(string path, MediaItem item, bool downloaded) =>
            new SavedMediaFile(path, item.TaskId, item.Kind, item.Index, item.Url, downloaded, item.Prompt, item.ExpiresAt);

        private static string? Text(PSObject input, string name) => Binding.BindingValues.AsText(input.Properties[name]?.Value);

        private sealed class Saved
        {
            /// <summary>No file and no output: the item ended in a state the journal records (its links expired).</summary>
            public static readonly Saved Nothing = new Saved(string.Empty, downloaded: false, null);

            public Saved(string path, bool downloaded, string? copiedFrom)
            {
                Path = path;
                Downloaded = downloaded;
                CopiedFrom = copiedFrom;
            }

            public string Path { get; }

            public bool Downloaded { get; }

            public string? CopiedFrom { get; }
        }

        private sealed class MediaJob
        {
            public MediaJob(MediaItem item, PSObject input, SavedFileRecord? copyFrom)
            {
                Item = item;
                Input = input;
                CopyFrom = copyFrom;
                Progress = new DownloadProgress(item.BaseName);
            }

            public MediaItem Item { get; }

            public PSObject Input { get; }

            /// <summary>The intact file in another folder to copy instead of downloading; null to download.</summary>
            public SavedFileRecord? CopyFrom { get; }

            public DownloadProgress Progress { get; }
        }
    }
}
