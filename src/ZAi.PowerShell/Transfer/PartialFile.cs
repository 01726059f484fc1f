using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// '&lt;name&gt;.partial' and its side file '&lt;name&gt;.partial.validator', which records what the partial bytes
    /// are a prefix of: the validator (ETag or Last-Modified) that a resume sends as If-Range, the Content-Type, and
    /// the total length the server announced. A resume or a promotion is only trusted when all of them still match.
    /// Neither name is ever written or read through a link.
    /// </summary>
    internal sealed class PartialFile
    {
        public const string SideSuffix = ".validator";
        public const string RangesSuffix = ".ranges";
        private const int MaxRangesFileBytes = 8192;
        private const int MaxSideFileBytes = 4096;

        public PartialFile(string folder, string baseName, PathLengthLimit? limit = null)
        {
            Path = limit is null
                ? MediaFileNames.Within(folder, baseName + MediaFileNames.PartialSuffix)
                : MediaFileNames.Within(folder, baseName + MediaFileNames.PartialSuffix, limit);
            SidePath = Path + SideSuffix;
            RangesPath = Path + RangesSuffix;
        }

        public string Path { get; }

        public string SidePath { get; }

        /// <summary>The side file of a ranged download (<see cref="RangeLedger"/>); shorter than <see cref="SidePath"/>, with its temporary name too.</summary>
        public string RangesPath { get; }

        private string RangesTempPath => RangesPath + "~";

        /// <summary>Bytes in the partial file; 0 when there is none.</summary>
        public long Length()
        {
            SafeFile.RefuseLink(Path);
            try
            {
                return File.Exists(Path) ? new FileInfo(Path).Length : 0;
            }
            catch (IOException)
            {
                return 0;
            }
        }

        /// <summary>What the side file says, or null when it is missing, unreadable or not of this format.</summary>
        public PartialRecord? ReadRecord()
        {
            SafeFile.RefuseLink(SidePath);
            string text;
            try
            {
                if (!File.Exists(SidePath)) return null;
                using var stream = new FileStream(SidePath, FileMode.Open, FileAccess.Read, FileShare.Read);
                var buffer = new byte[MaxSideFileBytes];
                var read = stream.Read(buffer, 0, buffer.Length);
                if (read == buffer.Length) return null; // far larger than anything this module writes
                text = Encoding.UTF8.GetString(buffer, 0, read);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var validator = lines[0];
            if (validator.Length == 0 || HasControl(validator)) return null; // it becomes a request header
            var contentType = lines.Length > 1 && lines[1].Length > 0 && !HasControl(lines[1]) ? lines[1] : null;
            long? total = lines.Length > 2 && long.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : (long?)null;
            return new PartialRecord(validator, contentType, total);
        }

        /// <summary>Removes the partial file and its side files (refusing links) before a download from byte 0.</summary>
        public void Delete()
        {
            SafeFile.Delete(Path);
            SafeFile.Delete(SidePath);
            DeleteRanges();
        }

        /// <summary>Removes the ranged side file (after promotion, or when falling back to one connection).</summary>
        public void DeleteRanges()
        {
            SafeFile.Delete(RangesPath);
            SafeFile.Delete(RangesTempPath);
        }

        /// <summary>The ranged download's ledger, or null when there is none or it cannot be trusted.</summary>
        public RangeLedger? ReadLedger()
        {
            SafeFile.RefuseLink(RangesPath);
            try
            {
                if (!File.Exists(RangesPath)) return null;
                using var stream = new FileStream(RangesPath, FileMode.Open, FileAccess.Read, FileShare.Read);
                var buffer = new byte[MaxRangesFileBytes];
                var read = stream.Read(buffer, 0, buffer.Length);
                if (read == buffer.Length) return null;
                return RangeLedger.Parse(Encoding.UTF8.GetString(buffer, 0, read));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>Replaces the ranged side file in one step (written beside it, then renamed over it), so a kill leaves the old or the new one.</summary>
        public void WriteLedger(RangeLedger ledger)
        {
            var bytes = Encoding.UTF8.GetBytes(ledger.Format());
            SafeFile.Delete(RangesTempPath);
            using (var stream = SafeFile.CreateNew(RangesTempPath))
            {
                stream.Write(bytes, 0, bytes.Length);
            }
            SafeFile.MoveReplacing(RangesTempPath, RangesPath);
        }

        /// <summary>Bytes a later run would not fetch again: the done ranges of a ranged download, else the partial file's length.</summary>
        public long KeptBytes()
        {
            try
            {
                return ReadLedger()?.DoneBytes ?? Length();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                return 0;
            }
        }

        /// <summary>Records what a download from byte 0 is of; without a validator nothing can be resumed, so nothing is recorded.</summary>
        public void WriteRecord(PartialRecord? record)
        {
            SafeFile.Delete(SidePath);
            if (record is null) return;
            using var stream = SafeFile.CreateNew(SidePath);
            var bytes = Encoding.UTF8.GetBytes(record.Validator + "\n" + (record.ContentType ?? string.Empty) + "\n"
                + (record.Total?.ToString(CultureInfo.InvariantCulture) ?? string.Empty) + "\n");
            stream.Write(bytes, 0, bytes.Length);
        }

        private static bool HasControl(string text)
        {
            foreach (var c in text)
            {
                if (char.IsControl(c)) return true;
            }
            return false;
        }
    }

    /// <summary>What a partial file is a prefix of.</summary>
    internal sealed class PartialRecord
    {
        public PartialRecord(string validator, string? contentType, long? total)
        {
            Validator = validator;
            ContentType = contentType;
            Total = total;
        }

        /// <summary>The ETag or Last-Modified of the whole file; sent as If-Range.</summary>
        public string Validator { get; }

        public string? ContentType { get; }

        /// <summary>The whole file's length as first announced; null when the server announced none.</summary>
        public long? Total { get; }
    }
}
