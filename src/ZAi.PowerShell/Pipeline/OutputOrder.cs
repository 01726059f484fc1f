namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Which result the engine writes first.</summary>
    internal enum OutputOrder
    {
        /// <summary>In the order the input came (Get-ZAiAsyncResult, the Start cmdlets).</summary>
        Input,

        /// <summary>Each as soon as it is ready (Wait-ZAiAsyncResult, Save-ZAiMedia).</summary>
        Completion,
    }
}
