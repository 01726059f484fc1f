using ZAi.PowerShell.Submitting;
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace ZAi.PowerShell.Journal
{
    /// <summary>The models of the tasks a journal records as accepted (one per request and occurrence): what a re-run has already spent.</summary>
    internal static class JournalSpend
    {
        /// <summary>The accepted tasks' models, read without locking; empty when the file does not exist. Unreadable lines are skipped (the journal itself reports them).</summary>
        public static IReadOnlyList<string?> AcceptedModels(string path)
        {
            var models = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (!File.Exists(path)) return new List<string?>();
            string text;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(file, Encoding.UTF8))
            {
                text = reader.ReadToEnd();
            }
            foreach (var line in text.Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed[0] != '{') continue;
                try
                {
                    using var document = JsonDocument.Parse(trimmed);
                    var root = document.RootElement;
                    if (Text(root, "type") != "accepted" || Text(root, "taskId") is null) continue;
                    var occurrence = root.TryGetProperty("occurrence", out var o) ? o.GetRawText() : "1";
                    models[Text(root, "key") + "#" + occurrence] = Text(root, "model");
                }
                catch (JsonException)
                {
                    // A torn or foreign line: the journal warns about it when it is opened.
                }
            }
            return new List<string?>(models.Values);
        }

        private static string? Text(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
