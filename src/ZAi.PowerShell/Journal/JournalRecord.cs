using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Transfer;
namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// One line of a journal (the runbook's ledger): a JSON object with the format version <c>v</c>. A
    /// <c>submit</c> line is written before a request is sent (its fields, inline images by hash only, never the
    /// key); an <c>accepted</c> line once the API answered with the task id; <c>unknown</c> when the API holds the
    /// request but its task id never arrived; <c>finished</c> when a wait saw the task end (SUCCESS or FAIL, with
    /// the reason); <c>saved</c> for each file written. Request lines carry the request id, the prompt and the
    /// occurrence (the same request asked for twice in one input is two tasks); task lines the task id.
    /// Version 1 files (submit and accepted only) read as they are.
    /// </summary>
    internal sealed class JournalRecord
    {
        public const int FormatVersion = 2;
        public const int OldestReadableVersion = 1;
        public const string SubmitType = "submit";
        public const string AcceptedType = "accepted";
        public const string UnknownType = "unknown";
        public const string FinishedType = "finished";
        public const string SavedType = "saved";
        public const string ExpiredType = "expired";
        public const string RefusedType = "refused";

        public string Type { get; set; } = SubmitType;

        public DateTime TimeUtc { get; set; }

        public string RequestId { get; set; } = string.Empty;

        /// <summary>A hash of the request's fields without the request id: what makes two requests the same.</summary>
        public string Key { get; set; } = string.Empty;

        /// <summary>1 for the first time this request appears in an input, 2 for the second ...</summary>
        public int Occurrence { get; set; }

        public string? Prompt { get; set; }

        public string? Model { get; set; }

        public string? Endpoint { get; set; }

        public string? TaskId { get; set; }

        /// <summary>The body's fields as JSON, without request_id and with inline images as sha256 hashes.</summary>
        public string? FieldsJson { get; set; }

        /// <summary>finished: SUCCESS or FAIL.</summary>
        public string? Status { get; set; }

        /// <summary>finished (FAIL) and unknown: what happened, in words.</summary>
        public string? Reason { get; set; }

        /// <summary>finished: when the task's links are estimated to expire.</summary>
        public DateTime? ExpiresUtc { get; set; }

        /// <summary>saved: the file's full path, its length and what it holds (Video, Cover, Image).</summary>
        public string? FilePath { get; set; }

        /// <summary>The journal's one copy of FilePath's folder (up to its last separator), set when the journal indexes a saved line; null otherwise.</summary>
        public string? FileFolder { get; set; }

        public long FileLength { get; set; }

        public string? FileKind { get; set; }

        /// <summary>finished (SUCCESS): how many files the task's result holds (videos, covers, images); 0 when unknown.</summary>
        public int MediaFiles { get; set; }

        /// <summary>saved: the index of the media item within its task (0 for the first video).</summary>
        public int FileIndex { get; set; }

        /// <summary>saved: the file's SHA-256 in lower-case hex, when it was computed; null in older lines.</summary>
        public string? FileSha256 { get; set; }

        /// <summary>The 1-based line of the journal this record was read from (0 for a new record).</summary>
        public int Line { get; set; }

        /// <summary>Lines about a task (finished, saved) rather than a request.</summary>
        public bool IsTaskRecord => Type == FinishedType || Type == SavedType || Type == ExpiredType;

        public static JournalRecord Submit(IJournaledRequest request, int occurrence, DateTime nowUtc) => new JournalRecord
        {
            Type = SubmitType,
            TimeUtc = nowUtc,
            RequestId = request.RequestId,
            Key = request.Fingerprint(),
            Occurrence = occurrence,
            Prompt = request.Prompt,
            Model = request.Model,
            Endpoint = request.Endpoint.Path,
            FieldsJson = Encoding.UTF8.GetString(JsonBodyWriter.Write(request.Fields, HashInlineImage, GenerationEndpoint.RequestIdField)),
        };

        public static JournalRecord Accepted(JournalRecord submitted, string taskId, DateTime nowUtc)
        {
            var accepted = submitted.Following(AcceptedType, nowUtc);
            accepted.TaskId = taskId;
            return accepted;
        }

        public static JournalRecord Unknown(JournalRecord submitted, string reason, DateTime nowUtc)
        {
            var unknown = submitted.Following(UnknownType, nowUtc);
            unknown.Reason = reason;
            return unknown;
        }

        /// <summary>The request was not sent: the budget (-MaximumCost) refused it. Nothing is billed; a later run decides again.</summary>
        public static JournalRecord Refused(JournalRecord intent, string reason, DateTime nowUtc)
        {
            var refused = intent.Following(RefusedType, nowUtc);
            refused.Reason = reason;
            return refused;
        }

        /// <summary>A later line about the same request: its identity and what was asked, without the body's fields.</summary>
        private JournalRecord Following(string type, DateTime nowUtc) => new JournalRecord
        {
            Type = type,
            TimeUtc = nowUtc,
            RequestId = RequestId,
            Key = Key,
            Occurrence = Occurrence,
            Prompt = Prompt,
            Model = Model,
            Endpoint = Endpoint,
        };

        public static JournalRecord Finished(string taskId, bool succeeded, string? reason, DateTime? expiresUtc, DateTime nowUtc, int mediaFiles = 0) => new JournalRecord
        {
            MediaFiles = mediaFiles,
            Type = FinishedType,
            TimeUtc = nowUtc,
            TaskId = taskId,
            Status = succeeded ? "SUCCESS" : "FAIL",
            Reason = reason,
            ExpiresUtc = expiresUtc,
        };

        /// <summary>The task's links expired before every file of it was saved: a re-run cannot download them, -RetryFailed submits it again.</summary>
        public static JournalRecord Expired(string taskId, string reason, DateTime nowUtc) => new JournalRecord
        {
            Type = ExpiredType,
            TimeUtc = nowUtc,
            TaskId = taskId,
            Reason = reason,
        };

        public static JournalRecord Saved(string taskId, string path, long length, string kind, int index, DateTime nowUtc, string? sha256 = null) => new JournalRecord
        {
            FileSha256 = sha256,
            FileIndex = index,
            Type = SavedType,
            TimeUtc = nowUtc,
            TaskId = taskId,
            FilePath = path,
            FileLength = length,
            FileKind = kind,
        };

        /// <summary>Writes the record's JSON object (what <see cref="JournalLineWriter"/> ends with a newline).</summary>
        internal void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("type", Type);
            writer.WriteString("time", Time(TimeUtc));
            if (IsTaskRecord) WriteTaskFields(writer);
            else WriteRequestFields(writer);
            writer.WriteEndObject();
        }

        private void WriteTaskFields(Utf8JsonWriter writer)
        {
            writer.WriteString("taskId", TaskId);
            if (Status != null) writer.WriteString("status", Status);
            if (Reason != null) writer.WriteString("reason", Reason);
            if (ExpiresUtc.HasValue) writer.WriteString("expiresAt", Time(ExpiresUtc.Value));
            if (MediaFiles > 0) writer.WriteNumber("files", MediaFiles);
            if (FilePath is null) return;
            writer.WriteString("path", FilePath);
            writer.WriteNumber("length", FileLength);
            writer.WriteString("kind", FileKind);
            writer.WriteNumber("index", FileIndex);
            if (FileSha256 != null) writer.WriteString("sha256", FileSha256);
        }

        private void WriteRequestFields(Utf8JsonWriter writer)
        {
            writer.WriteString("requestId", RequestId);
            writer.WriteString("key", Key);
            writer.WriteNumber("occurrence", Occurrence);
            if (TaskId != null) writer.WriteString("taskId", TaskId);
            if (Model != null) writer.WriteString("model", Model);
            if (Endpoint != null) writer.WriteString("endpoint", Endpoint);
            // An agent task read back from the journal is polled on the agents API: Wait binds agentId by name.
            if (Endpoint == GenerationEndpoint.VideoEffect.Path && Model != null) writer.WriteString("agentId", Model);
            if (Reason != null) writer.WriteString("reason", Reason);
            writer.WriteString("prompt", Prompt);
            if (FieldsJson is null) return;
            writer.WritePropertyName("fields");
            using var fields = JsonDocument.Parse(FieldsJson);
            fields.RootElement.WriteTo(writer);
        }

        /// <summary>Reads one line; null with <paramref name="problem"/> set when it is not a record of a known version.</summary>
        public static JournalRecord? Parse(string line, int lineNumber, out string? problem)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                return Read(document.RootElement, lineNumber, out problem);
            }
            catch (JsonException)
            {
                problem = "it is not valid JSON";
                return null;
            }
        }

        /// <summary>Reads one line from its UTF-8 bytes, without making a string of it first (a journal is read line by line).</summary>
        public static JournalRecord? Parse(ReadOnlyMemory<byte> line, int lineNumber, out string? problem)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                return Read(document.RootElement, lineNumber, out problem);
            }
            catch (JsonException)
            {
                // Bytes that are not UTF-8 read the way text decoding reads them (replacement characters), as before.
                return Parse(Encoding.UTF8.GetString(line.ToArray()), lineNumber, out problem);
            }
        }

        private static JournalRecord? Read(JsonElement root, int lineNumber, out string? problem)
        {
            problem = null;
            try
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number)
                {
                    problem = "it is not a journal record (no format version 'v')";
                    return null;
                }
                if (!version.TryGetInt32(out var v) || v < OldestReadableVersion || v > FormatVersion)
                {
                    problem = $"it has format version {version.GetRawText()}, and this version of the module reads versions {OldestReadableVersion} to {FormatVersion}";
                    return null;
                }
                var record = new JournalRecord
                {
                    Line = lineNumber,
                    Type = KnownType(Text(root, "type")),
                    RequestId = Text(root, "requestId") ?? string.Empty,
                    Key = Text(root, "key") ?? string.Empty,
                    Occurrence = Whole(root, "occurrence", "an occurrence"),
                    Prompt = Text(root, "prompt"),
                    Model = Text(root, "model"),
                    Endpoint = Text(root, "endpoint"),
                    TaskId = Text(root, "taskId"),
                    FieldsJson = root.TryGetProperty("fields", out var fields) ? fields.GetRawText() : null,
                    Status = Text(root, "status"),
                    Reason = Text(root, "reason"),
                    FilePath = Text(root, "path"),
                    FileKind = Text(root, "kind"),
                    FileSha256 = Text(root, "sha256"),
                    MediaFiles = Whole(root, "files", "a file count"),
                    FileIndex = Whole(root, "index", "a file index"),
                    FileLength = root.TryGetProperty("length", out var length) ? Length(length) : -1,
                };
                if (DateTime.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)) record.TimeUtc = time;
                if (DateTime.TryParse(Text(root, "expiresAt"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var expires)) record.ExpiresUtc = expires;
                if (!IsComplete(record))
                {
                    problem = "it lacks a field a record of its type needs";
                    return null;
                }
                return record;
            }
            catch (FormatException ex)
            {
                problem = ex.Message;
                return null;
            }
        }

        /// <summary>A whole number field, 0 when absent; a fraction, a string or a number out of range is the line's problem.</summary>
        private static int Whole(JsonElement root, string name, string what)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return 0;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < 0)
            {
                throw new FormatException($"its '{name}' ({Shorten(value.GetRawText())}) is not {what} (a whole number from 0 to {int.MaxValue})");
            }
            return number;
        }

        private static long Length(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < 0)
            {
                throw new FormatException($"its 'length' ({Shorten(value.GetRawText())}) is not a file length (a whole number of bytes)");
            }
            return number;
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

        private static bool IsComplete(JournalRecord record)
        {
            switch (record.Type)
            {
                case SubmitType:
                case UnknownType:
                case RefusedType:
                    return record.RequestId.Length > 0 && record.Key.Length > 0 && record.Occurrence >= 1;
                case AcceptedType:
                    return record.RequestId.Length > 0 && record.Key.Length > 0 && record.Occurrence >= 1 && !string.IsNullOrEmpty(record.TaskId);
                case FinishedType:
                    return !string.IsNullOrEmpty(record.TaskId) && (record.Status == "SUCCESS" || record.Status == "FAIL");
                case ExpiredType:
                    return !string.IsNullOrEmpty(record.TaskId);
                case SavedType:
                    return !string.IsNullOrEmpty(record.TaskId) && !string.IsNullOrEmpty(record.FilePath) && record.FileLength >= 0;
                default:
                    return false;
            }
        }

        private static readonly string[] Types = { SubmitType, AcceptedType, SavedType, FinishedType, UnknownType, ExpiredType, RefusedType };

        /// <summary>The type's constant, so a journal read back holds one string per type rather than one per line.</summary>
        private static string KnownType(string? type)
        {
            foreach (var known in Types)
            {
                if (string.Equals(type, known, StringComparison.Ordinal)) return known;
            }
            return type ?? string.Empty;
        }

        private static string Time(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string HashInlineImage(string field, string text)
        {
            if ((field != "image_url" && !field.EndsWith(".image_url", StringComparison.Ordinal)) || !text.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return text;
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return "sha256:" + Transfer.FileSha256.Hex(hash);
        }
    }
}
