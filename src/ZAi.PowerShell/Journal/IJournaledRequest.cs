using System.Collections.Generic;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Journal
{
    /// <summary>What the journal records of a request before it is sent (Submitting's GenerationRequest is one).</summary>
    internal interface IJournaledRequest
    {
        string RequestId { get; }

        string? Prompt { get; }

        string Model { get; }

        GenerationEndpoint Endpoint { get; }

        /// <summary>The body fields in the order they are sent.</summary>
        IReadOnlyList<KeyValuePair<string, object?>> Fields { get; }

        /// <summary>What makes two requests the same one: a re-run matches its journal by it.</summary>
        string Fingerprint();
    }
}
