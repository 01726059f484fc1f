using ZAi.PowerShell.Journal;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>What a submission command does with one request, given the journal.</summary>
    internal enum PlanAction
    {
        /// <summary>Not in the journal (or a known failure with -RetryFailed): record it, then send it.</summary>
        Send,

        /// <summary>Recorded without a task id: sent again under the same request id.</summary>
        Resend,

        /// <summary>Accepted in an earlier run: not sent; its task goes down the pipeline.</summary>
        Adopt,

        /// <summary>Its task failed in an earlier run: not sent; reported as a warning.</summary>
        KnownFailure,

        /// <summary>The API holds its request id but the task id never arrived, reported in an earlier run: not sent.</summary>
        KnownUnknown,
    }

    /// <summary>What one input record of a submission command turns into.</summary>
    internal sealed class SubmissionPlan
    {
        public SubmissionPlan(GenerationRequest request, int occurrence, LedgerEntry? recorded, PlanAction action, string label, GenerationRequest original)
        {
            Original = original;
            Request = request;
            Occurrence = occurrence;
            Recorded = recorded;
            Action = action;
            Label = label;
        }

        /// <summary>The request to send: under the journal's request id when the journal has it without a task.</summary>
        public GenerationRequest Request { get; }

        /// <summary>The request as the input gave it, before the journal's request id replaced its own.</summary>
        public GenerationRequest Original { get; }

        /// <summary>1 for the first time this request appears in the input, 2 for the second ...</summary>
        public int Occurrence { get; }

        /// <summary>The journal's record of this request, if any.</summary>
        public LedgerEntry? Recorded { get; }

        public PlanAction Action { get; }

        /// <summary>How errors name the input record: "Row 3 of the input (prompt 'A fox'): ", or the prompt alone.</summary>
        public string Label { get; }

        /// <summary>Accepted in an earlier run: not sent again, its task goes down the pipeline.</summary>
        public bool AlreadyAccepted => Action == PlanAction.Adopt;

        /// <summary>The price set aside in the journal's shared spend for this request until its intent is recorded.</summary>
        public SpendReservation? Reservation { get; set; }

        /// <summary>
        /// What an error about the request is about: the input record it came from, set when the command admits it.
        /// It travels with the plan, so it is let go with it (a map beside the engine kept it for a failed request).
        /// </summary>
        public object? Target { get; set; }

        /// <summary>A -RequestId the journal overrode: the request was recorded under another one, which the API knows.</summary>
        public string? RequestIdNote { get; set; }

        /// <summary>Refused by the budget in an earlier run: a refusal now is said once at the end, not as news.</summary>
        public bool RefusedBefore => Recorded?.State == LedgerState.Refused;

        /// <summary>Nothing to send and nothing to write down the pipeline.</summary>
        public bool Skipped => Action == PlanAction.KnownFailure || Action == PlanAction.KnownUnknown;
    }
}
