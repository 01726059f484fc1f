using System;
using System.IO;
using System.Text.RegularExpressions;
using ZAi.PowerShell.Models;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// Turns an -ImageUrl value into what the API takes: an http(s) URL or a data URI is sent as it is; a local
    /// PNG or JPEG file of at most 5 MiB is read and sent as a base64 data URI. Other schemes are refused.
    /// </summary>
    internal static class ImageInput
    {
        public const long MaxBytes = 5L * 1024 * 1024;
        private static readonly Regex OtherScheme = new Regex(@"^([A-Za-z][A-Za-z0-9+.\-]*):(//|[^\\/])", RegexOptions.CultureInvariant);
        private static readonly Regex DataUri = new Regex(@"^data:image/(png|jpeg|jpg);base64,[A-Za-z0-9+/=\s]+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        private static readonly Regex BareBase64 = new Regex(@"^[A-Za-z0-9+/]{64,}={0,2}$", RegexOptions.CultureInvariant);

        /// <param name="value">What the user gave.</param>
        /// <param name="toFileSystemPath">Resolves a PowerShell path (~, PSDrives, relative paths) to a file system path; may throw.</param>
        /// <exception cref="ArgumentException">The value is not a usable image, with a message naming it.</exception>
        public static string Resolve(string? value, Func<string, string> toFileSystemPath)
        {
            var text = value?.Trim() ?? string.Empty;
            if (text.Length == 0) throw new ArgumentException("-ImageUrl has an empty value.");

            if (StartsWith(text, "https://") || StartsWith(text, "http://"))
            {
                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                {
                    throw new ArgumentException($"-ImageUrl '{Shown(text)}' is not a valid URL.");
                }
                return text;
            }
            if (StartsWith(text, "data:"))
            {
                if (!DataUri.IsMatch(text)) throw new ArgumentException($"-ImageUrl '{Shown(text)}' is a data URI but not a base64 PNG or JPEG image (data:image/png;base64,...).");
                return text;
            }
            var scheme = OtherScheme.Match(text);
            if (scheme.Success && scheme.Groups[1].Value.Length > 1)
            {
                throw new ArgumentException($"-ImageUrl '{Shown(text)}' uses the scheme '{scheme.Groups[1].Value}:'; give an http or https URL, a data URI, or the path of a local file.");
            }

            string path;
            try
            {
                path = toFileSystemPath(text);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                throw new ArgumentException($"-ImageUrl '{Shown(text)}' is neither a URL nor a file path that can be used: {ex.Message}");
            }
            if (!File.Exists(path))
            {
                if (BareBase64.IsMatch(text)) return text;
                throw new ArgumentException($"-ImageUrl '{Shown(text)}': no such file ({path}). Give an http or https URL, a data URI, or the path of a local PNG or JPEG file.");
            }
            return ReadAsDataUri(path);
        }

        /// <summary>Reads a local image, checking its size and that it is a PNG or JPEG.</summary>
        public static string ReadAsDataUri(string path)
        {
            byte[] bytes;
            try
            {
                // The length on disk is 0 for devices (/dev/zero), pipes and /proc files: read at most one byte more
                // than allowed instead of trusting it, so nothing can make this read without end.
                var length = new FileInfo(path).Length;
                if (length > MaxBytes)
                {
                    throw new ArgumentException($"-ImageUrl '{path}' is {length} bytes; the API takes images of at most 5 MiB ({MaxBytes} bytes).");
                }
                bytes = ReadAtMost(path, MaxBytes + 1);
                if (bytes.Length != length)
                {
                    throw new ArgumentException($"-ImageUrl '{path}' is not a regular file (a device, pipe or special file); give the path of a PNG or JPEG file.");
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ArgumentException($"-ImageUrl '{path}' could not be read: {ex.Message}");
            }
            var mediaType = MediaTypeOf(bytes)
                ?? throw new ArgumentException($"-ImageUrl '{path}' is not a PNG or JPEG image; the API takes .png, .jpeg and .jpg images.");
            return "data:" + mediaType + ";base64," + Convert.ToBase64String(bytes);
        }

        private static byte[] ReadAtMost(string path, long limit)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while (buffer.Length < limit && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }

        /// <summary>image/png or image/jpeg from the file signature; null for anything else.</summary>
        public static string? MediaTypeOf(byte[] bytes)
        {
            var mediaType = ImageSignature.MediaType(bytes);
            return mediaType == "image/png" || mediaType == "image/jpeg" ? mediaType : null;
        }

        private static bool StartsWith(string text, string prefix) => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

        private static string Shown(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";
    }
}
