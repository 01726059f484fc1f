using System;
using System.IO;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// Copies a file the journal records as saved in another folder into this one, the way a download is written:
    /// into the item's partial file, checked (the length recorded, and the SHA-256 when one was recorded), then
    /// given its final name in one step. A source that changed since it was saved is not copied.
    /// </summary>
    internal static class SavedCopy
    {
        /// <returns>The final path and the copy's SHA-256.</returns>
        /// <exception cref="SourceChangedException">The source is no longer the file that was saved.</exception>
        public static (string Path, string Sha256) Copy(SavedFileRecord source, MediaItem item, string folder, DownloadProgress progress)
        {
            var final = MediaFileNames.Within(folder, item.BaseName + System.IO.Path.GetExtension(source.FilePath!).ToLowerInvariant());
            var partial = new PartialFile(folder, item.BaseName);
            string sha;
            try
            {
                partial.Delete();
                SafeFile.RefuseLink(source.FilePath!);
                progress.SetTotal(source.FileLength);
                progress.Reset(0);
                long copied = 0;
                using (var from = FileSha256.OpenRead(source.FilePath!))
                using (var to = SafeFile.CreateNew(partial.Path))
                {
                    sha = FileSha256.Of(from, (buffer, read) =>
                    {
                        to.Write(buffer, 0, read);
                        copied += read;
                        progress.Add(read);
                    });
                }
                if (copied != source.FileLength || (source.FileSha256 != null && !string.Equals(source.FileSha256, sha, StringComparison.OrdinalIgnoreCase)))
                {
                    partial.Delete();
                    throw new SourceChangedException(source.FilePath!);
                }
            }
            catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException) && !(ex is SourceChangedException))
            {
                throw DownloadErrors.WriteFailed(item, ex is LinkRefusedException link ? link.Path : partial.Path, ex);
            }
            PartialPromotion.Promote(partial, final, source.FileLength, item);
            return (final, sha);
        }
    }

    /// <summary>A file recorded as saved no longer has the bytes it was saved with.</summary>
    internal sealed class SourceChangedException : IOException
    {
        public SourceChangedException(string path)
            : base($"'{path}' changed since it was saved (its length or SHA-256 differs from the journal's)")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
