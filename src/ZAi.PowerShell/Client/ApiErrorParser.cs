using System;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// Reads every error envelope the API is known to use: the spec's {code:int, message}, the live API's
    /// {"error":{"code":"1214","message":...}}, {"error":"text","code":...}, {"msg":...,"code":...},
    /// {"message":...,"code":...}, and {"success":false,...}. Non-JSON bodies are described, never parsed.
    /// </summary>
    internal static class ApiErrorParser
    {
        private const int MaxSnippetLength = 200;
        private static readonly Regex HtmlTitle = new Regex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline);
        private static readonly Regex HtmlTag = new Regex("<[^>]*>");
        private static readonly Regex Whitespace = new Regex(@"\s+");

        /// <summary>
        /// The error in a JSON body. With <paramref name="successStatus"/> true (HTTP 2xx), returns null unless
        /// the body really is an error: an "error" member, success:false, or a non-zero code without task_status.
        /// </summary>
        public static ApiErrorBody? FromJson(JsonElement root, bool successStatus)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return successStatus ? null : new ApiErrorBody(null, null, null);
            }

            // The agents API answers a failed task with 2xx, status "failed" and its error: a result, not a failed call.
            if (successStatus && root.TryGetProperty("status", out var agentStatus) && agentStatus.ValueKind == JsonValueKind.String
                && (root.TryGetProperty("async_id", out _) || root.TryGetProperty("agent_id", out _)))
            {
                return null;
            }

            string? code = null;
            string? message = null;
            var hasError = false;

            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                hasError = true;
                if (error.ValueKind == JsonValueKind.Object)
                {
                    code = JsonValueConverter.StringProperty(error, "code");
                    message = JsonValueConverter.StringProperty(error, "message") ?? JsonValueConverter.StringProperty(error, "msg");
                }
                else
                {
                    message = JsonValueConverter.ScalarText(error);
                }
            }

            code ??= JsonValueConverter.StringProperty(root, "code");
            message ??= JsonValueConverter.StringProperty(root, "msg") ?? JsonValueConverter.StringProperty(root, "message");

            if (successStatus && !hasError)
            {
                var saysFailure = root.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False;
                var hasTaskStatus = root.TryGetProperty("task_status", out _);
                var errorCode = code != null && code != "0" && code != "200";
                if (!saysFailure && (hasTaskStatus || !errorCode)) return null;
            }

            var requestId = JsonValueConverter.StringProperty(root, "request_id")
                ?? (error.ValueKind == JsonValueKind.Object ? JsonValueConverter.StringProperty(error, "request_id") : null);
            return new ApiErrorBody(code, message, requestId);
        }

        /// <summary>A short, printable description of a body that is not JSON (e.g. a proxy's HTML page).</summary>
        public static string DescribeNonJson(string? contentType, byte[] body)
        {
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 16 * 1024));
            var title = HtmlTitle.Match(text);
            var snippet = title.Success ? title.Groups[1].Value : HtmlTag.Replace(text, " ");
            snippet = Whitespace.Replace(Printable(snippet), " ").Trim();
            if (snippet.Length > MaxSnippetLength) snippet = snippet.Substring(0, MaxSnippetLength) + "...";
            var type = string.IsNullOrEmpty(contentType) ? "no content type" : contentType;
            return snippet.Length == 0
                ? $"the response body was empty or not JSON ({type})"
                : $"the response was not JSON ({type}): {snippet}";
        }

        private static string Printable(string text)
        {
            var builder = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                builder.Append(char.IsControl(c) ? ' ' : c);
            }
            return builder.ToString();
        }
    }
}
