using System;
using System.Net;

namespace ZAi.PowerShell.Client
{
    /// <summary>Checks and normalises an API base URI such as https://api.z.ai/api or https://open.bigmodel.cn/api.</summary>
    internal static class BaseUriRules
    {
        public static readonly Uri International = new Uri("https://api.z.ai/api/");
        public static readonly Uri China = new Uri("https://open.bigmodel.cn/api/");

        /// <summary>Returns the base URI with a trailing slash; throws ArgumentException naming what is wrong.</summary>
        /// <param name="value">The URI text.</param>
        /// <param name="origin">Where the value came from, for the message (e.g. "-BaseUri", "ZAI_BASE_URL").</param>
        public static Uri Normalize(string value, string origin)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{origin} is empty; give an absolute URI such as {International.AbsoluteUri.TrimEnd('/')}.");
            }
            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException($"{origin} '{value}' is not an absolute http or https URI, such as {International.AbsoluteUri.TrimEnd('/')}.");
            }
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new ArgumentException($"{origin} must not contain user information; pass the API key with -ApiKey or ZAI_API_KEY.");
            }
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                throw new ArgumentException($"{origin} '{uri.GetLeftPart(UriPartial.Path)}' must not have a query or fragment.");
            }
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                throw new ArgumentException($"{origin} '{uri.AbsoluteUri}' uses plain http; the API key is only sent over https (plain http is allowed for loopback addresses only).");
            }

            // The official SDKs' ZAI_BASE_URL includes /paas/v4; accept that form too.
            var path = uri.AbsolutePath.TrimEnd('/');
            if (path.EndsWith("/paas/v4", StringComparison.OrdinalIgnoreCase))
            {
                path = path.Substring(0, path.Length - "/paas/v4".Length);
            }
            var builder = new UriBuilder(uri) { Path = path + "/", Query = string.Empty, Fragment = string.Empty };
            return builder.Uri;
        }

        public static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback) return true;
            var host = uri.DnsSafeHost;
            return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
        }
    }
}
