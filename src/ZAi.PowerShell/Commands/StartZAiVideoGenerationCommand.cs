using System.Linq;
using System.Management.Automation;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Start-ZAiVideoGeneration: POST /paas/v4/videos/generations for each prompt (or image); outputs the new
    /// task as an AsyncResult that pipes into Wait-ZAiAsyncResult.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ZAiVideoGeneration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "Start-ZAiVideoGeneration.md")]
    [OutputType(typeof(AsyncResult))]
    public sealed class StartZAiVideoGenerationCommand : GenerationCmdlet
    {
        /// <summary>What the video shows, at most 512 characters. Strings from the pipeline each start a task.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TextArgument("-Prompt", "text", RowProperties = new[] { "Prompt", "ImageUrl", "Image" })]
        public string? Prompt { get; set; }

        /// <summary>The model. Default: cogvideox-3.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault(VideoGenerationOptions.DefaultModel)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VideoModelCompleter))]
        public string Model { get; set; } = VideoGenerationOptions.DefaultModel;

        /// <summary>One image to start from, or two for the first and last frame: http(s) URLs, data URIs, or local PNG/JPEG files of at most 5 MiB (sent as base64).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Image")]
        [BlankMeansDefault]
        public string[]? ImageUrl { get; set; }

        /// <summary>speed (the API's default) or quality.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault(AllowedValues = new[] { "speed", "quality" })]
        [ArgumentCompleter(typeof(VideoQualityCompleter))]
        public string? Quality { get; set; }

        /// <summary>Generate AI sound effects.</summary>
        [Parameter]
        public SwitchParameter WithAudio { get; set; }

        /// <summary>WIDTHxHEIGHT, e.g. 1920x1080; cogvideox-3 offers 1280x720, 720x1280, 1024x1024, 1920x1080, 1080x1920, 2048x1080, 3840x2160.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VideoSizeCompleter))]
        [BlankMeansDefault]
        [TextArgument("-Size", "WIDTHxHEIGHT, e.g. 1920x1080", AllowNumbers = false)]
        public string? Size { get; set; }

        /// <summary>Frames per second: 30 (the API's default) or 60.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault(AllowedValues = new[] { "30", "60" })]
        [ArgumentCompleter(typeof(VideoFpsCompleter))]
        public int Fps { get; set; }

        /// <summary>Seconds: 5 (the API's default) or 10.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault(AllowedValues = new[] { "5", "10" })]
        [ArgumentCompleter(typeof(VideoDurationCompleter))]
        public int Duration { get; set; }

        internal override GenerationRequest BuildRequest()
        {
            var options = Common(new VideoGenerationOptions(), Prompt, Model, Quality, Size);
            options.Images = (ImageUrl ?? System.Array.Empty<string>()).Select(image => ImageInput.Resolve(image, ToFileSystemPath)).ToArray();
            if (IsBound(nameof(WithAudio))) options.WithAudio = WithAudio.IsPresent;
            if (IsBound(nameof(Fps)) && Fps != 0) options.Fps = Fps;
            if (IsBound(nameof(Duration)) && Duration != 0) options.Duration = Duration;
            return GenerationRequestFactory.Video(options);
        }

        internal override object? CurrentTarget() => Prompt ?? ImageUrl?.FirstOrDefault();

        internal override bool IsBlankInput() => string.IsNullOrWhiteSpace(Prompt) && (ImageUrl is null || ImageUrl.Length == 0);

        private string ToFileSystemPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
