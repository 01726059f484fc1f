using System.Management.Automation;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Start-ZAiImageGeneration: POST /paas/v4/async/images/generations for each prompt; outputs the new task
    /// as an AsyncResult that pipes into Wait-ZAiAsyncResult.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ZAiImageGeneration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "Start-ZAiImageGeneration.md")]
    [OutputType(typeof(AsyncResult))]
    public sealed class StartZAiImageGenerationCommand : GenerationCmdlet
    {
        /// <summary>What the image shows. Strings from the pipeline each start a task.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [TextArgument("-Prompt", "text", RowProperties = new[] { "Prompt" })]
        public string Prompt { get; set; } = string.Empty;

        /// <summary>The model. Default: glm-image.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault(ImageGenerationOptions.DefaultModel)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageModelCompleter))]
        public string Model { get; set; } = ImageGenerationOptions.DefaultModel;

        /// <summary>hd (the API's default: more detail, about 20 s) or standard.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault(AllowedValues = new[] { "hd", "standard" })]
        [ArgumentCompleter(typeof(ImageQualityCompleter))]
        public string? Quality { get; set; }

        /// <summary>WIDTHxHEIGHT; for glm-image each side 1024 to 2048 and a multiple of 32, at most 4194304 pixels. Default: 1280x1280.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ImageSizeCompleter))]
        [BlankMeansDefault]
        [TextArgument("-Size", "WIDTHxHEIGHT, e.g. 1280x1280", AllowNumbers = false)]
        public string? Size { get; set; }

        internal override GenerationRequest BuildRequest()
        {
            return GenerationRequestFactory.Image(Common(new ImageGenerationOptions(), Prompt, Model, Quality, Size));
        }

        internal override object? CurrentTarget() => Prompt;

        internal override bool IsBlankInput() => string.IsNullOrWhiteSpace(Prompt);
    }
}
