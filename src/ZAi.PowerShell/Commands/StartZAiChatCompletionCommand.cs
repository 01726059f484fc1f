using System.Management.Automation;
using ZAi.PowerShell.Binding;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Commands
{
    /// <summary>
    /// Start-ZAiChatCompletion: POST /paas/v4/async/chat/completions for each prompt (or one -Messages conversation);
    /// outputs the new task as an AsyncResult that pipes into Wait-ZAiAsyncResult, whose result carries Content and Usage.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ZAiChatCompletion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "Start-ZAiChatCompletion.md")]
    [OutputType(typeof(AsyncResult))]
    public sealed class StartZAiChatCompletionCommand : GenerationCmdlet
    {
        /// <summary>The user's message. Strings (or CSV rows with a Prompt column) from the pipeline each start a task.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TextArgument("-Prompt", "text", RowProperties = new[] { "Prompt" })]
        public string? Prompt { get; set; }

        /// <summary>A whole conversation instead of -Prompt: hashtables with role (system, user, assistant, tool) and content, oldest first.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? Messages { get; set; }

        /// <summary>A system message sent before the prompt or the conversation, e.g. 'Answer with one word.'</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault]
        public string? System { get; set; }

        /// <summary>The chat model. Default: glm-4.6.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankMeansDefault(ChatCompletionOptions.DefaultModel)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ChatModelCompleter))]
        public string Model { get; set; } = ChatCompletionOptions.DefaultModel;

        /// <summary>Sampling temperature, 0 to 1: higher is more varied.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double Temperature { get; set; }

        /// <summary>Nucleus sampling, above 0 up to 1.</summary>
        [Parameter]
        [ValidateRange(0.01, 1.0)]
        public double TopP { get; set; }

        /// <summary>The most tokens the answer may have.</summary>
        [Parameter]
        [Alias("MaxTokens")]
        [ValidateRange(1, int.MaxValue)]
        public int MaximumTokens { get; set; }

        /// <summary>Whether to sample (do_sample); -DoSample:$false makes -Temperature and -TopP ineffective.</summary>
        [Parameter]
        public SwitchParameter DoSample { get; set; }

        /// <summary>Stop words: the answer ends before any of them.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Stop { get; set; }

        /// <summary>enabled or disabled: whether a thinking model (glm-4.5 and later) reasons before it answers.</summary>
        [Parameter]
        [ValidateSet("enabled", "disabled")]
        [ArgumentCompleter(typeof(ThinkingCompleter))]
        public string? Thinking { get; set; }

        /// <summary>text (the default) or json_object: ask for a JSON answer.</summary>
        [Parameter]
        [ValidateSet("text", "json_object")]
        [ArgumentCompleter(typeof(ResponseFormatCompleter))]
        public string? ResponseFormat { get; set; }

        internal override GenerationRequest BuildRequest()
        {
            var options = new ChatCompletionOptions
            {
                Prompt = Prompt,
                Model = Model,
                Messages = Messages,
                System = System,
                RequestId = RequestId,
                UserId = UserId,
                Parameters = Parameter,
                Stop = Stop,
                Thinking = Thinking,
                ResponseFormat = ResponseFormat,
            };
            if (IsBound(nameof(Temperature))) options.Temperature = Temperature;
            if (IsBound(nameof(TopP))) options.TopP = TopP;
            if (IsBound(nameof(MaximumTokens))) options.MaxTokens = MaximumTokens;
            if (IsBound(nameof(DoSample))) options.DoSample = DoSample.IsPresent;
            return ChatRequestFactory.Create(options);
        }

        internal override object? CurrentTarget() => Prompt;

        internal override bool IsBlankInput() => string.IsNullOrWhiteSpace(Prompt) && Messages is null;
    }
}
