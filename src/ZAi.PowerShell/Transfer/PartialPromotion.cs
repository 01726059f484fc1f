using System;
using System.IO;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>Gives a complete partial file its final name, in one step, and only if it has the announced length.</summary>
    internal static class PartialPromotion
    {
        public static void Promote(PartialFile partial, string final, long? total, MediaItem item)
        {
            try
            {
                // Never give a final name to a file of another length than the one announced, nor to a link.
                SafeFile.RefuseLink(partial.Path);
                if (total.HasValue && new FileInfo(partial.Path).Length != total.Value)
                {
                    partial.Delete();
                    throw new ZAiMediaException(MediaErrorReason.LengthMismatch,
                        $"The partial file of the {item.Describe()} is not of the announced length {total.Value}; it was removed.", item.Url, isTransient: true);
                }
                SafeFile.MoveReplacing(partial.Path, final);
                SafeFile.Delete(partial.SidePath);
                partial.DeleteRanges();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw DownloadErrors.WriteFailed(item, ex is LinkRefusedException link ? link.Path : final, ex);
            }
        }
    }
}
