using System;
using System.Text.Json;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Tells a 404 from the API ("no such task", in the API's JSON error envelope) from a 404 of something that
    /// is not the API at all: a web server or proxy answering for a base URI without its /api, or a typo. The
    /// second is a wrong endpoint, and the error names the base URI instead of blaming the task id.
    /// </summary>
    internal static class EndpointCheck
    {
        /// <summary>True when a 404 body is not JSON, or is JSON without the API's code or message.</summary>
        public static bool IsForeign404(JsonDocument? document)
        {
            if (document is null) return true;
            var error = ApiErrorParser.FromJson(document.RootElement, successStatus: false);
            return error is null || (error.Code is null && error.Message is null);
        }

        public static string Message(string subject, Uri? requested, Uri baseUri, string bodyDescription)
        {
            var where = requested is null ? string.Empty : $" for {requested.GetLeftPart(UriPartial.Path)}";
            var hint = baseUri.AbsolutePath.TrimEnd('/').EndsWith("/api", StringComparison.OrdinalIgnoreCase)
                ? "Check that it is the Z.AI API's base URI"
                : "The Z.AI API's base URI ends in /api (https://api.z.ai/api or https://open.bigmodel.cn/api)";
            return $"{subject}: HTTP 404{where}, and {bodyDescription}, so this is not the Z.AI API answering: the base URI in use, {baseUri.AbsoluteUri}, "
                + $"points to the wrong place. {hint}; Get-ZAiContext shows where it came from.";
        }
    }
}
