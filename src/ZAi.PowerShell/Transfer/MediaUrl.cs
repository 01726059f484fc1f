using System;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>Checks a media link, and every redirect it leads to, before anything is sent there.</summary>
    internal static class MediaUrl
    {
        /// <summary>The link as a URI, or ZAiInvalidMediaUrl: not absolute http(s), or a refused host (<see cref="MediaHostRule"/>).</summary>
        public static Uri Check(MediaItem item)
        {
            if (!Uri.TryCreate(item.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new ZAiMediaException(
                    MediaErrorReason.InvalidUrl,
                    $"The link of the {item.Describe()} is not an absolute http or https URL: '{item.Url}'. Only http and https links are downloaded.",
                    item.Url);
            }
            var refusal = MediaHostRule.Refusal(uri);
            if (refusal != null)
            {
                throw new ZAiMediaException(
                    MediaErrorReason.InvalidUrl,
                    $"The link of the {item.Describe()} points to {uri.Host}, which is refused: {refusal}. Nothing was sent. Media links point to file hosts; a link to a link-local or metadata address is a broken or hostile result.",
                    item.Url);
            }
            return uri;
        }

        /// <summary>Where a redirect leads, or ZAiInvalidMediaUrl when it leaves http(s), goes from https to http, or to a refused host.</summary>
        public static Uri CheckRedirect(MediaItem item, Uri from, Uri location)
        {
            var to = location.IsAbsoluteUri ? location : new Uri(from, location);
            string? problem = null;
            if (to.Scheme != Uri.UriSchemeHttps && to.Scheme != Uri.UriSchemeHttp) problem = "not an http or https URL";
            else if (from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp) problem = "a step down from https to http";
            else problem = MediaHostRule.Refusal(to);
            if (problem != null)
            {
                throw new ZAiMediaException(
                    MediaErrorReason.InvalidUrl,
                    $"The link of the {item.Describe()} redirected from {from.Host} to {Where(to, location)}, which is refused: {problem}. Nothing was sent there.",
                    item.Url);
            }
            return to;
        }

        /// <summary>Where a redirect points, for a message: its host, or its kind when it has none (a file: URL).</summary>
        private static string Where(Uri to, Uri location) =>
            !to.IsAbsoluteUri ? location.OriginalString : to.Host.Length > 0 ? to.Host : "a " + to.Scheme + ": URL";
    }
}
