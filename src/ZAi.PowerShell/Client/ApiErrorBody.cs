namespace ZAi.PowerShell.Client
{
    /// <summary>The parts of an error response the module uses, whichever envelope they came in.</summary>
    internal sealed class ApiErrorBody
    {
        public ApiErrorBody(string? code, string? message, string? requestId)
        {
            Code = code;
            Message = message;
            RequestId = requestId;
        }

        public string? Code { get; }

        public string? Message { get; }

        public string? RequestId { get; }
    }
}
