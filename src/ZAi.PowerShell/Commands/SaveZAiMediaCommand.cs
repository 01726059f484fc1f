using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Downloading;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Save-ZAiMedia: downloads the videos, covers and images of results to a folder, several at a time,
    /// starting as results arrive and writing a SavedMediaFile as each file completes.
    /// </summary>
    [Cmdlet(VerbsData.Save, "ZAiMedia", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SavedMediaFile))]
    public sealed class SaveZAiMediaCommand : ZAiCmdlet
    {
        public const int DefaultThrottleLimit = 8;
        private const int ProgressActivityId = 0x2A2 << 8;
        private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);

        private readonly List<Task> _downloads = new List<Task>();
        private readonly ConcurrentDictionary<DownloadProgress, bool> _active = new ConcurrentDictionary<DownloadProgress, bool>();
        private readonly PlannedNames _planned = new PlannedNames();
        private SaveInputs? _inputs;
        private SemaphoreSlim? _throttle;
        private FileDownloader? _downloader;
        private SaveProgressReporter? _progress;
        private string _folder = string.Empty;
        private HashSet<MediaKind> _kinds = new HashSet<MediaKind>();
        private int _total;
        private int _done;
        private long _finishedBytes;

        /// <summary>Results (AsyncResult, live or deserialized) or single media items (VideoResult, ImageResult) to save.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject? InputObject { get; set; }

        /// <summary>The destination folder; created when missing. Default: the current location.</summary>
        [Parameter(Position = 0)]
        [Alias("Destination", "OutputPath")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>What to save: Video, Cover, Image. Default: everything the result holds.</summary>
        [Parameter]
        public MediaKind[]? Kind { get; set; }

        /// <summary>Download again even when the file exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Make an existing file an error instead of skipping it.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>How many files download at once. Default: 8.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>How to name the files, from {TaskId}, {Prompt}, {Index} and {Kind}, e.g. '{Prompt}-{Index}'. Default: the task id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? NameTemplate { get; set; }

        protected override void BeginProcessing()
        {
            if (Force && NoClobber)
            {
                ThrowTerminatingError(ErrorRecords.Invalid("ZAiInvalidArgument", "-Force and -NoClobber cannot be used together.", null));
            }
            try
            {
                _folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path ?? ".", out var provider, out _);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    throw new ArgumentException($"-Path '{Path}' is on the {provider.Name} provider; give a file system folder.");
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException)
            {
                ThrowTerminatingError(ErrorRecords.Invalid("ZAiInvalidPath", ex.Message, Path));
            }
            if (File.Exists(_folder))
            {
                ThrowTerminatingError(ErrorRecords.Invalid("ZAiInvalidPath", $"-Path '{_folder}' is a file; give a folder.", Path));
            }

            var settings = ResolveSettings();
            _kinds = new HashSet<MediaKind>(Kind ?? new[] { MediaKind.Video, MediaKind.Cover, MediaKind.Image });
            _throttle = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
            _downloader = new FileDownloader(MediaHttpClient.Instance, new RetryPolicy(settings.MaxRetries), settings.RequestTimeout, Log);
            _progress = new SaveProgressReporter(this, ProgressActivityId, ProgressEvery);
            _inputs = new SaveInputs(_kinds, SaveNaming.Template(NameTemplate, error => ThrowTerminatingError(ErrorRecords.Invalid("ZAiInvalidArgument", error, NameTemplate))), () => new AsyncResultClient(CreateSender()), RunUntil, Log);
        }

        protected override void ProcessRecord()
        {
            var input = InputObject!;
            var plan = _inputs!.Plan(input, StopToken);
            if (plan.Failure != null) WriteError(ErrorRecords.FromException(plan.Failure, input));
            foreach (var warning in plan.Warnings) WriteWarning(warning);
            if (plan.NoMediaReason != null)
            {
                var error = new ZAiMediaException(MediaErrorReason.NoMedia, plan.NoMediaReason);
                WriteError(new ErrorRecord(error, error.ErrorId, ErrorCategory.InvalidOperation, input));
            }
            foreach (var item in plan.Items)
            {
                Plan(item, input);
            }
            Queue.RunPending();
            _progress!.Update(_total, Volatile.Read(ref _done), _active.Keys.ToList(), Interlocked.Read(ref _finishedBytes));
        }

        protected override void EndProcessing()
        {
            var all = Task.WhenAll(_downloads);
            try
            {
                while (!all.IsCompleted)
                {
                    Queue.RunNext(ProgressEvery, StopToken);
                    _progress!.Update(_total, Volatile.Read(ref _done), _active.Keys.ToList(), Interlocked.Read(ref _finishedBytes));
                }
                Queue.RunPending();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                _progress!.Complete();
            }
        }

        private void Plan(MediaItem item, PSObject input)
        {
            if (!(_planned.Claim(item) is MediaItem claimed)) return;
            item = claimed;
            if (item.Url != null)
            {
                try
                {
                    FileDownloader.CheckUrl(item);
                }
                catch (ZAiMediaException error)
                {
                    WriteError(new ErrorRecord(error, error.ErrorId, ErrorCategory.InvalidArgument, item.Url));
                    return;
                }
            }

            string existing;
            try
            {
                existing = MediaFileNames.Candidates(item).Select(name => MediaFileNames.Within(_folder, name)).FirstOrDefault(File.Exists);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is PathTooLongException || ex is NotSupportedException)
            {
                var error = new ZAiMediaException(MediaErrorReason.WriteFailed, $"Cannot save the {item.Describe()} in '{_folder}': {ex.Message}", item.Url, inner: ex);
                WriteError(new ErrorRecord(error, error.ErrorId, ErrorCategory.WriteError, input));
                return;
            }

            if (existing != null && NoClobber)
            {
                var error = new ZAiMediaException(MediaErrorReason.FileExists, $"'{existing}' exists and -NoClobber was given; the {item.Describe()} was not downloaded.", item.Url);
                WriteError(new ErrorRecord(error, error.ErrorId, ErrorCategory.ResourceExists, existing));
                return;
            }
            if (existing != null && !Force)
            {
                WriteVerbose($"Skipped the {item.Describe()}: '{existing}' already exists (use -Force to download it again).");
                WriteObject(SavedFile(existing, item, downloaded: false));
                return;
            }

            var predicted = MediaFileNames.Within(_folder, item.BaseName + MediaFileNames.Extension(item.Kind, null, item.Url));
            var action = item.Url is null ? $"Save inline {item.Kind}" : $"Download {item.Kind} from {new Uri(item.Url).Host}";
            if (!ShouldProcess(existing ?? predicted, action)) return;

            try
            {
                Directory.CreateDirectory(_folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                var error = new ZAiMediaException(MediaErrorReason.WriteFailed, $"Cannot create the folder '{_folder}': {ex.Message}", item.Url, inner: ex);
                WriteError(new ErrorRecord(error, error.ErrorId, ErrorCategory.WriteError, _folder));
                return;
            }

            _total++;
            WriteVerbose($"Queued the {item.Describe()} for '{_folder}'.");
            _downloads.Add(Task.Run(() => DownloadAsync(item, input)));
        }

        private async Task DownloadAsync(MediaItem item, PSObject input)
        {
            var progress = new DownloadProgress(item.BaseName);
            await _throttle!.WaitAsync(StopToken).ConfigureAwait(false);
            _active[progress] = true;
            try
            {
                var path = await _downloader!.DownloadAsync(item, _folder, progress, StopToken).ConfigureAwait(false);
                var saved = SavedFile(path, item, downloaded: true);
                Queue.Post(() =>
                {
                    WriteVerbose($"Saved the {item.Describe()} to '{path}' ({SaveProgressReporter.Size(progress.Bytes)}).");
                    WriteObject(saved);
                });
            }
            catch (ZAiMediaException error)
            {
                var category = error.Reason switch
                {
                    MediaErrorReason.LinkExpired => ErrorCategory.ResourceUnavailable,
                    MediaErrorReason.LengthMismatch => ErrorCategory.InvalidData,
                    MediaErrorReason.WriteFailed => ErrorCategory.WriteError,
                    MediaErrorReason.InvalidUrl => ErrorCategory.InvalidArgument,
                    _ => ErrorCategory.ConnectionError,
                };
                var explained = LinkExpiry.Explain(error, item, DateTime.UtcNow);
                Queue.Post(() => WriteError(new ErrorRecord(explained, explained.ErrorId, category, input)));
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
            }
            catch (Exception error)
            {
                Queue.Post(() => WriteError(ErrorRecords.FromException(error, input)));
            }
            finally
            {
                _active.TryRemove(progress, out _);
                Interlocked.Add(ref _finishedBytes, progress.Bytes);
                Interlocked.Increment(ref _done);
                _throttle.Release();
            }
        }

        private static SavedMediaFile SavedFile(string path, MediaItem item, bool downloaded) => new SavedMediaFile(path, item.TaskId, item.Kind, item.Index, item.Url, downloaded, item.Prompt, item.ExpiresAt);
    }
}
