using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Completion;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Waiting;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Base of the cmdlets that submit generation tasks: the parameters both kinds share, validation before
    /// anything is sent, ShouldProcess per task (submissions are billed), up to -ThrottleLimit submissions in
    /// flight, results written in input order, and a rate-limit answer holding back the rest of the batch.
    /// </summary>
    public abstract class GenerationCmdlet : ZAiCmdlet
    {
        private readonly RateLimitGate _gate = new RateLimitGate();
        private SubmissionClient? _client;
        private Uri? _baseUri;
        private InOrderResults<KeyValuePair<GenerationRequest, AsyncResult>>? _results;
        private readonly Binding.InputRows _rows = new Binding.InputRows();

        /// <summary>A unique id for the request, chosen by you; one is generated when omitted. A request id names one task: the same request id is never submitted twice.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Binding.BlankMeansDefault]
        public string? RequestId { get; set; }

        /// <summary>The id of your end user (6 to 128 characters), which helps the platform act on abuse.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Binding.BlankMeansDefault]
        public string? UserId { get; set; }

        /// <summary>More body fields for the model, by their API names, e.g. @{ style = 'anime'; watermark_enabled = $false }.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? Parameter { get; set; }

        /// <summary>How many submissions may be in flight at once. Default: 4.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Builds and validates the request of the current pipeline record.</summary>
        /// <exception cref="ArgumentException">A value the API would refuse.</exception>
        internal abstract GenerationRequest BuildRequest();

        /// <summary>Whether a parameter has a value for the current record (bound by name, position or pipeline).</summary>
        internal bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        /// <summary>Fills the shared options from the shared parameters.</summary>
        internal T Common<T>(T options, string? prompt, string model, string? quality, string? size)
            where T : GenerationOptions
        {
            options.Prompt = prompt;
            options.Model = model;
            options.Quality = quality;
            options.Size = size;
            options.RequestId = RequestId;
            options.UserId = UserId;
            options.Parameters = Parameter;
            return options;
        }

        protected override void BeginProcessing()
        {
            _baseUri = ResolveSettings().BaseUri;
            _results = new InOrderResults<KeyValuePair<GenerationRequest, AsyncResult>>(this, ThrottleLimit, Write);
        }

        protected override void ProcessRecord()
        {
            GenerationRequest request;
            _rows.Next();
            try
            {
                request = BuildRequest();
            }
            catch (ArgumentException ex)
            {
                WriteError(ErrorRecords.Invalid(ErrorRecords.InvalidGenerationRequest, _rows.Label(MyInvocation.ExpectingInput, CurrentTarget() as string) + ex.Message, CurrentTarget()));
                return;
            }

            var endpoint = new Uri(_baseUri!, request.Endpoint.Path).AbsoluteUri;
            if (!ShouldProcess(
                $"Submitting a billed {request.Model} {request.Endpoint.Noun} generation task: POST {endpoint} {request.Describe()}",
                $"Submit a {request.Model} {request.Endpoint.Noun} generation task for '{request.ShortPrompt()}'? The task is billed to the account.",
                "Submit a Z.AI generation task"))
            {
                return;
            }

            var client = _client ??= CreateClient();
            _results!.Start(CurrentTarget(), async () =>
                new KeyValuePair<GenerationRequest, AsyncResult>(request, await client.SubmitAsync(request, StopToken).ConfigureAwait(false)));
            _results.WriteFinished();
        }

        protected override void EndProcessing()
        {
            _results!.WriteAll();
        }

        /// <summary>What an error about the current record is about: the prompt, else the first image.</summary>
        internal abstract object? CurrentTarget();

        private SubmissionClient CreateClient()
        {
            var sender = CreateSender(error =>
            {
                if (error.Reason == ZAiErrorReason.RateLimited) _gate.OnRateLimited(error.RetryAfter, DateTime.UtcNow);
            });
            return new SubmissionClient(sender, _gate, Log);
        }

        private void Write(KeyValuePair<GenerationRequest, AsyncResult> submitted)
        {
            var request = submitted.Key;
            var result = submitted.Value;
            WriteVerbose(request.Outcome(result));
            RecentTaskIds.Remember(result.Id);
            var output = PSObject.AsPSObject(result);
            if (output.Properties["Prompt"] is null) output.Properties.Add(new PSNoteProperty("Prompt", request.Prompt));
            WriteObject(output);
        }
    }
}
