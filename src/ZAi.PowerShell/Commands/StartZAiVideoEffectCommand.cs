using System.Linq;
using System.Management.Automation;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Start-ZAiVideoEffect: POST /v1/agents (the video-effects agent) for each image; outputs the new task as an
    /// AsyncResult with its AgentId, which Wait-ZAiAsyncResult polls on the agents API and Save-ZAiMedia saves.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ZAiVideoEffect", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "Start-ZAiVideoEffect.md")]
    [OutputType(typeof(AsyncResult))]
    public sealed class StartZAiVideoEffectCommand : GenerationCmdlet
    {
        /// <summary>The image to animate: an http(s) URL, a data URI, or a local PNG/JPEG file of at most 5 MiB (sent as base64). Strings and files from the pipeline each start a task.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ImagePath", "Image", "FullName")]
        [TextArgument("-ImageUrl", "an image URL or path", RowProperties = new[] { "ImageUrl", "ImagePath", "Image", "FullName" })]
        public string ImageUrl { get; set; } = string.Empty;

        /// <summary>The effect: french_kiss, bodyshake, sexy_me, or another template the agent offers.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(EffectTemplateCompleter))]
        public string Template { get; set; } = string.Empty;

        /// <summary>Optional text for the effect, at most 512 characters.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault]
        public string? Prompt { get; set; }

        /// <summary>The agent. Default: vidu_template_agent.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AgentId { get; set; } = VideoEffectOptions.DefaultAgent;

        internal override GenerationRequest BuildRequest()
        {
            var options = new VideoEffectOptions
            {
                Model = AgentId,
                Template = Template,
                Prompt = Prompt,
                RequestId = RequestId,
                UserId = UserId,
                Parameters = Parameter,
                Image = ImageInput.Resolve(ImageUrl, ToFileSystemPath),
            };
            return VideoEffectRequestFactory.Create(options);
        }

        internal override object? CurrentTarget() => ImageUrl;

        internal override bool IsBlankInput() => string.IsNullOrWhiteSpace(ImageUrl);

        private string ToFileSystemPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
