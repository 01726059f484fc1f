using System;
using System.IO;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Errors;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Save-ZAiMedia: downloads the videos, covers and images of results to a folder, several at a time,
    /// starting as results arrive and writing a SavedMediaFile as each file completes.
    /// </summary>
    [Cmdlet(VerbsData.Save, "ZAiMedia", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Docs + "Save-ZAiMedia.md")]
    [OutputType(typeof(SavedMediaFile))]
    public sealed class SaveZAiMediaCommand : ZAiCmdlet
    {
        public const int DefaultThrottleLimit = SaveOptions.DefaultThrottleLimit;
        private MediaSaver? _saver;

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

        /// <summary>How many files download at once. Default: 16.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>How to name the files, from {TaskId}, {Prompt}, {Index} and {Kind}, e.g. '{Prompt}-{Index}'. Default: the task id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? NameTemplate { get; set; }

        /// <summary>The largest file accepted, in bytes (4GB works). Default: 2 GiB.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long MaximumFileSize { get; set; } = DownloadLimits.DefaultMaximumFileSize;

        /// <summary>Connections for one large file from a host that offers byte ranges (1 never splits). Default: Connect-ZAi's, else 4.</summary>
        [Parameter]
        [ValidateRange(1, DownloadTuning.MaxConnectionsPerFile)]
        public int ConnectionsPerFile { get; set; }

        /// <summary>Files of at least this many bytes are split (16MB works). Default: Connect-ZAi's, else 16 MiB.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long SplitThreshold { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Force && NoClobber)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidArgument, "-Force and -NoClobber cannot be used together.", null));
            }
            var folder = ResolveFolder();
            var settings = ResolveSettings();
            var options = new SaveOptions(folder, Kind ?? new[] { MediaKind.Video, MediaKind.Cover, MediaKind.Image })
            {
                Force = Force,
                NoClobber = NoClobber,
                ThrottleLimit = ThrottleLimit,
                NameTemplate = SaveNaming.Template(NameTemplate, error => ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidArgument, error, NameTemplate))),
            };
            var inputs = new SaveInputs(options.Kinds, options.NameTemplate, () => { var sender = CreateSender(); return new AsyncResultClient(sender, sender.Settings.Account()); }, RunUntil, Log);
            var downloader = new FileDownloader(() => MediaHttpClient.For(settings.Proxy), new RetryPolicy(settings.MaxRetries), settings.RequestTimeout, Log, new DownloadLimits(MaximumFileSize), tuning: Tuning(settings));
            _saver = new MediaSaver(options, inputs, downloader, Sink, Queue, StopToken);
        }

        protected override void ProcessRecord()
        {
            try
            {
                _saver!.Add(InputObject!);
            }
            catch (Journal.JournalBusyException ex)
            {
                ThrowTerminatingError(ErrorRecords.JournalFault(ex, ex.JournalPath));
            }
        }

        protected override void EndProcessing()
        {
            foreach (var journal in _saver!.Complete()) JournalEnd.Report(Sink, journal);
        }

        protected override void ReleaseResources() => _saver?.Dispose();

        private DownloadTuning Tuning(ConnectionSettings settings) => new DownloadTuning(
            MyInvocation.BoundParameters.ContainsKey(nameof(ConnectionsPerFile)) ? ConnectionsPerFile : settings.ConnectionsPerFile,
            MyInvocation.BoundParameters.ContainsKey(nameof(SplitThreshold)) ? SplitThreshold : settings.SplitThreshold);

        private string ResolveFolder()
        {
            string folder = string.Empty;
            try
            {
                folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path ?? ".", out var provider, out _);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    throw new ArgumentException($"-Path '{Path}' is on the {provider.Name} provider; give a file system folder.");
                }
                PathLengthLimit.Current.CheckFolder(folder);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is PathTooLongException || ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException)
            {
                ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidPath, ex.Message, Path));
            }
            if (File.Exists(folder))
            {
                ThrowTerminatingError(ErrorRecords.Invalid(ErrorTable.InvalidPath, $"-Path '{folder}' is a file; give a folder.", Path));
            }
            return folder;
        }
    }
}
