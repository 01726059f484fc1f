using System;
using System.IO;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>Writes an image the API returned inline (base64) the same safe way as a download: partial file, then promotion.</summary>
    internal static class InlineImageWriter
    {
        public static string Write(MediaItem item, PartialFile partial, string folder, PathLengthLimit pathLimit, DownloadLimits limits, DownloadProgress progress)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(item.Base64 ?? string.Empty);
            }
            catch (FormatException)
            {
                throw new ZAiMediaException(MediaErrorReason.DownloadFailed, $"The inline image of the {item.Describe()} is not valid base64.");
            }
            if (bytes.Length > limits.MaximumFileSize)
            {
                throw new ZAiMediaException(MediaErrorReason.TooLarge, $"The inline image of the {item.Describe()} is {bytes.Length} bytes, more than -MaximumFileSize ({limits.MaximumFileSize} bytes).");
            }
            var final = MediaFileNames.Within(folder, item.BaseName + MediaFileNames.ExtensionOfBytes(bytes), pathLimit);
            try
            {
                partial.Delete();
                using (var file = SafeFile.CreateNew(partial.Path))
                {
                    file.Write(bytes, 0, bytes.Length);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw DownloadErrors.WriteFailed(item, ex is LinkRefusedException link ? link.Path : partial.Path, ex);
            }
            progress.SetTotal(bytes.Length);
            progress.Reset(bytes.Length);
            PartialPromotion.Promote(partial, final, bytes.Length, item);
            return final;
        }
    }
}
