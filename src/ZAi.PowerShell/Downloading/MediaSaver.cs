using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Downloading
{
    /// <summary>
    /// Save-ZAiMedia's work: plans the files of each input as it arrives (skip what exists, refuse what
    /// cannot be saved, ask ShouldProcess), downloads the rest through the engine several at a time, and
    /// writes each saved file the moment it is complete.
    /// </summary>
    internal sealed class MediaSaver
    {
        private const int ProgressActivityId = 0x2A2 << 8;
        private readonly SaveOptions _options;
        private readonly SaveInputs _inputs;
        private readonly FileDownloader _downloader;
        private readonly IPipelineSink _sink;
        private readonly ItemEngine<MediaJob, string> _engine;
        private readonly SaveProgressReporter _progress;
        private readonly FileNameClaims _names;
        private readonly SaveLedger _ledger;
        private readonly ConcurrentDictionary<DownloadProgress, bool> _active = new ConcurrentDictionary<DownloadProgress, bool>();
        private readonly CancellationToken _stop;
        private readonly EmptyPromptWarning _emptyPrompt;
        private int _total;
        private int _done;
        private long _finishedBytes;
        private long _finishedReceived;

        public MediaSaver(SaveOptions options, SaveInputs inputs, FileDownloader downloader, IPipelineSink sink, WriteQueue queue, CancellationToken stop)
        {
            _options = options;
            _names = new FileNameClaims(templated: options.NameTemplate != null);
            _ledger = new SaveLedger(options.Folder, _names, sink);
            _emptyPrompt = new EmptyPromptWarning(options.NameTemplate);
            _inputs = inputs;
            _stop = stop;
            _downloader = downloader;
            _sink = sink;
            _progress = new SaveProgressReporter(sink, ProgressActivityId, TimeSpan.FromMilliseconds(250));
            _engine = new ItemEngine<MediaJob, string>(sink, queue, stop, DownloadAsync, Write, OutputOrder.Completion, options.ThrottleLimit, job => job.Input)
            {
                Tick = () => _progress.Update(_total, Volatile.Read(ref _done), _active.Keys.ToList(), Interlocked.Read(ref _finishedBytes), Interlocked.Read(ref _finishedReceived)),
            };
        }

        /// <summary>Plans and starts the files of one input object.</summary>
        public void Add(PSObject input)
        {
            var recorded = _options.Force ? null : _ledger.SavedBefore(input);
            if (recorded != null)
            {
                // The journal says this task's files were saved and they are on disk as saved: no request at all.
                foreach (var file in recorded)
                {
                    _sink.WriteVerbose($"Skipped {file.MediaKind.ToLowerInvariant()} {file.MediaIndex} of task '{Client.TaskIdPath.Shown(file.TaskId)}': the journal records it saved as '{file.FullName}'.");
                    _sink.WriteObject(file);
                }
                return;
            }
            var plan = _inputs.Plan(input, _stop);
            if (plan.Failure != null) _sink.WriteError(ErrorRecords.FromException(plan.Failure, input));
            foreach (var warning in plan.Warnings) _sink.WriteVerbose(warning);   // the error of a refused link says it all, once
            if (_emptyPrompt.Check(plan.Items) is string noPrompt) _sink.WriteWarning(noPrompt);
            if (plan.Unread != null) _sink.WriteWarning(plan.Unread);
            if (plan.NoMediaReason != null)
            {
                _sink.WriteError(ErrorRecords.FromException(new ZAiMediaException(MediaErrorReason.NoMedia, plan.NoMediaReason), input));
            }
            foreach (var item in plan.Items)
            {
                Plan(item, input);
            }
            _engine.Pump();
        }

        /// <summary>Writes every file as it completes, until all are done; a stop ends it at once.</summary>
        public void Complete()
        {
            try
            {
                _engine.Complete();
            }
            finally
            {
                _progress.Complete();
                _ledger.Dispose();
            }
        }

        /// <summary>Lets go of the journals (after a stop, when Complete never ran).</summary>
        public void Dispose() => _ledger.Dispose();

        private void Plan(MediaItem item, PSObject input)
        {
            // A template names files by prompt, so two tasks often share a name: the later one gets its task id added.
            var claimed = _names.Claim(item);
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
                existing = MediaFileNames.Existing(_options.Folder, item);
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
                _ledger.Record(input, item, existing);
                _sink.WriteObject(Saved(existing, item, downloaded: false));
                return;
            }

            var predicted = MediaFileNames.Within(_options.Folder, item.BaseName + MediaFileNames.Extension(item.Kind, null, item.Url));
            var action = item.Url is null ? $"Save inline {item.Kind}" : $"Download {item.Kind} from {new Uri(item.Url).Host}";
            if (!_sink.ShouldProcess(existing ?? predicted, action)) return;

            try
            {
                Directory.CreateDirectory(_options.Folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                WriteFailed($"Cannot create the folder '{_options.Folder}': {ex.Message}", item, ex, _options.Folder);
                return;
            }

            _total++;
            _sink.WriteVerbose($"Queued the {item.Describe()} for '{_options.Folder}'.");
            _engine.Add(new MediaJob(item, input));
        }

        private void WriteFailed(string message, MediaItem item, Exception inner, object target)
        {
            var error = new ZAiMediaException(MediaErrorReason.WriteFailed, message, item.Url, inner: inner);
            _sink.WriteError(ErrorRecords.FromException(error, target));
        }

        private async Task<string> DownloadAsync(MediaJob job, CancellationToken stop)
        {
            _active[job.Progress] = true;
            try
            {
                var path = await _downloader.DownloadAsync(job.Item, _options.Folder, job.Progress, stop).ConfigureAwait(false);
                // Recorded before the file goes down the pipeline, so a re-run skips it without a request.
                _ledger.Record(job.Input, job.Item, path);
                return path;
            }
            catch (ZAiMediaException error)
            {
                throw LinkExpiry.Explain(error, job.Item, DateTime.UtcNow);
            }
            catch (UriFormatException error)
            {
                // HttpClient follows a redirect before the downloader sees it; a Location such as file:// fails there.
                throw new ZAiMediaException(MediaErrorReason.InvalidUrl, $"The media host redirected the link of the {job.Item.Describe()} to an address that is not an http or https URL ({error.Message}); nothing was saved.", job.Item.Url);
            }
            finally
            {
                _active.TryRemove(job.Progress, out _);
                Interlocked.Add(ref _finishedBytes, job.Progress.Bytes);
                Interlocked.Add(ref _finishedReceived, job.Progress.Received);
                Interlocked.Increment(ref _done);
            }
        }

        private void Write(MediaJob job, string path)
        {
            _sink.WriteVerbose($"Saved the {job.Item.Describe()} to '{path}' ({SaveProgressReporter.Size(job.Progress.Bytes)}).");
            _sink.WriteObject(Saved(path, job.Item, downloaded: true));
        }

        private static SavedMediaFile Saved(string path, MediaItem item, bool downloaded) =>
            new SavedMediaFile(path, item.TaskId, item.Kind, item.Index, item.Url, downloaded, item.Prompt, item.ExpiresAt);

        private sealed class MediaJob
        {
            public MediaJob(MediaItem item, PSObject input)
            {
                Item = item;
                Input = input;
                Progress = new DownloadProgress(item.BaseName);
            }

            public MediaItem Item { get; }

            public PSObject Input { get; }

            public DownloadProgress Progress { get; }
        }
    }
}
