using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Saving
{
    /// <summary>
    /// Reads the files to save from any input: an AsyncResult, a VideoResult or ImageResult, their deserialized
    /// copies (remoting, Import-Clixml, -Parallel), or the API's own JSON shape (video_result / image_result).
    /// Everything is read by property name, so all of these work alike.
    /// </summary>
    internal static class MediaPlanner
    {
        public sealed class Plan
        {
            public Plan(string? taskId, IReadOnlyList<MediaItem> items, string? noMediaReason, Exception? failure = null, bool noMediaByKind = false, string? unread = null)
            {
                NoMediaByKind = noMediaByKind;
                Unread = unread;
                TaskId = taskId;
                Items = items;
                NoMediaReason = noMediaReason;
                Failure = failure;
            }

            /// <summary>Why the input could not be planned at all (fetching a shallow input again failed).</summary>
            public Exception? Failure { get; }

            public string? TaskId { get; }

            public IReadOnlyList<MediaItem> Items { get; }

            /// <summary>The task is of a kind that has no media (a chat completion): nothing to save is no error.</summary>
            public bool NoMediaByKind { get; }

            /// <summary>What to warn about when some files are saved but a media field of the input could not be read (see AsyncResult.UnreadFields).</summary>
            public string? Unread { get; }

            /// <summary>Why there is nothing to save, when there is nothing.</summary>
            public string? NoMediaReason { get; }
        }

        public static Plan FromInput(object input, ICollection<MediaKind> kinds, MediaNameTemplate? template = null)
        {
            var item = PSObject.AsPSObject(input);
            var taskId = Text(item, "Id", "id", "TaskId") ?? "unknown-task";
            var expires = Date(item, "EarlierExpiresAt") ?? Date(item, "ExpiresAt");
            var context = new Context(kinds, template, Text(item, "Prompt", "prompt"), expires);

            var videos = Collection(item, "VideoResult", "video_result");
            var images = Collection(item, "ImageResult", "image_result");
            if (videos != null || images != null || Text(item, "TaskStatus", "task_status") != null)
            {
                var planned = new List<MediaItem>();
                var index = 0;
                foreach (var video in videos ?? Enumerable.Empty<object>())
                {
                    var each = PSObject.AsPSObject(video);
                    AddVideo(planned, each, taskId, IndexOf(item, "VideoResult", each, index++), context);
                }
                index = 0;
                foreach (var image in images ?? Enumerable.Empty<object>())
                {
                    var each = PSObject.AsPSObject(image);
                    AddImage(planned, each, taskId, IndexOf(item, "ImageResult", each, index++), context);
                }
                var status = Text(item, "TaskStatus", "task_status");
                var unread = UnreadText(item, taskId);
                string? reason = null;
                if (planned.Count == 0 && unread != null)
                {
                    // Fields of a known name in a shape the module does not read never pass for "no media".
                    return new Plan(taskId, planned, unread + " Nothing was saved: the media links, if any, are in that raw value.");
                }
                var chat = string.Equals(Text(item, "Kind"), "Chat", StringComparison.OrdinalIgnoreCase);
                if (planned.Count == 0)
                {
                    reason = chat
                        ? $"Task '{Client.TaskIdPath.Shown(taskId)}' is a chat completion: it has no media to save. Its answer is in the Content property; "
                          + "export it with Export-Csv or ConvertTo-Json, or write it with Set-Content (e.g. $result.Content | Set-Content answer.txt)."
                        : (videos?.Count ?? 0) + (images?.Count ?? 0) > 0
                        ? $"Task '{Client.TaskIdPath.Shown(taskId)}' has no media of the kinds asked for (-Kind {string.Join(", ", kinds)})."
                        : status != null && !string.Equals(status, "SUCCESS", StringComparison.OrdinalIgnoreCase)
                            ? $"Task '{Client.TaskIdPath.Shown(taskId)}' has no media to save: its status is {status}. "
                              + (string.Equals(status, "FAIL", StringComparison.OrdinalIgnoreCase) ? "The task failed." : "Wait for it with Wait-ZAiAsyncResult first.")
                            : $"Task '{Client.TaskIdPath.Shown(taskId)}' has no video or image results.";
                }
                // A live result warns of its unread fields once (Get or Wait may have done so already in this pipeline).
                var warn = unread != null && (!(item.BaseObject is AsyncResult live) || live.ClaimUnreadWarning());
                return new Plan(taskId, planned, reason, noMediaByKind: chat && planned.Count == 0, unread: warn ? unread : null);
            }

            // A single media item: a VideoResult (Url + CoverImageUrl) or an ImageResult.
            var single = new List<MediaItem>();
            var ownerId = Text(item, "TaskId") ?? taskId;
            var itemIndex = Number(item, "Index");
            if (item.Properties["CoverImageUrl"] != null || item.Properties["cover_image_url"] != null)
            {
                AddVideo(single, item, ownerId, itemIndex, context);
            }
            else if (Text(item, "Url", "url") != null || Text(item, "B64Json", "b64_json") != null)
            {
                AddImage(single, item, ownerId, itemIndex, context);
            }
            else
            {
                return new Plan(ownerId, single, "The input is not a Z.AI result or media item: it has no VideoResult, ImageResult or Url property.");
            }
            return new Plan(ownerId, single, single.Count == 0 ? $"The {ownerId} media item has no media of the kinds asked for (-Kind {string.Join(", ", kinds)})." : null);
        }

        /// <summary>The agent that runs the input's task (its AgentId: a video effect read back from a CSV), so it is fetched again on the agents endpoint; null for other tasks.</summary>
        public static string? AgentIdOf(object input) => Text(PSObject.AsPSObject(input), "AgentId");

        /// <summary>
        /// True when the input is a successful result that lost its media details on the way: a shallow copy
        /// (Receive-Job, remoting and Export-Clixml at depth 1 turn each VideoResult into its URL string, and the
        /// cover links are gone), a CSV row, or JSON written with too small a -Depth. Such input is fetched again.
        /// A live AsyncResult is never shallow.
        /// </summary>
        public static bool LacksMediaDetails(object input, out string taskId)
        {
            var item = PSObject.AsPSObject(input);
            taskId = Text(item, "Id", "id", "TaskId") ?? string.Empty;
            if (item.BaseObject is AsyncResult || taskId.Length == 0) return false;
            var succeeded = string.Equals(Text(item, "TaskStatus", "task_status"), "SUCCESS", StringComparison.OrdinalIgnoreCase)
                || string.Equals(Text(item, "Status"), "Success", StringComparison.OrdinalIgnoreCase);
            if (!succeeded) return false;
            // A chat completion has no media to fetch again.
            // (An AsyncResult of any kind has a Choices property, so the API's raw choices count only without a Kind.)
            var kind = Text(item, "Kind");
            if (string.Equals(kind, "Chat", StringComparison.OrdinalIgnoreCase) || (kind is null && item.Properties["choices"]?.Value != null)) return false;
            foreach (var name in new[] { "VideoResult", "video_result", "ImageResult", "image_result" })
            {
                var raw = item.Properties[name]?.Value;
                var value = raw is PSObject wrapped ? wrapped.BaseObject : raw;
                if (value is null || value is string) continue;
                var elements = value is IEnumerable list && !(value is IDictionary) ? list.Cast<object>() : new[] { raw! };
                if (elements.Any(e => e != null && !((e is PSObject p ? p.BaseObject : e) is string))) return false;
            }
            return true;
        }

        /// <summary>
        /// True when the input is a successful result of a media task that holds no media at all: what
        /// Wait-ZAiAsyncResult passes on, without a request, for a task its journal records as saved. When the
        /// journal says the task had files, such input is fetched again if its links are needed.
        /// </summary>
        public static bool HoldsNoMedia(object input, out string taskId)
        {
            var item = PSObject.AsPSObject(input);
            taskId = Text(item, "Id", "id", "TaskId") ?? string.Empty;
            if (taskId.Length == 0 || string.Equals(Text(item, "Kind"), "Chat", StringComparison.OrdinalIgnoreCase)) return false;
            if (!string.Equals(Text(item, "TaskStatus", "task_status"), "SUCCESS", StringComparison.OrdinalIgnoreCase)) return false;
            return (Collection(item, "VideoResult", "video_result")?.Count ?? 0) == 0 && (Collection(item, "ImageResult", "image_result")?.Count ?? 0) == 0;
        }

        /// <summary>A result fetched again for a shallow input, carrying the input's prompt and its earlier expiry estimate.</summary>
        public static PSObject Refetched(AsyncResult fetched, object original)
        {
            var source = PSObject.AsPSObject(original);
            var result = PSObject.AsPSObject(fetched);
            var prompt = Text(source, "Prompt", "prompt");
            if (prompt != null) result.Properties.Add(new PSNoteProperty("Prompt", prompt));
            var earlier = Date(source, "ExpiresAt");
            if (earlier.HasValue && (!fetched.ExpiresAt.HasValue || earlier.Value < fetched.ExpiresAt.Value))
            {
                result.Properties.Add(new PSNoteProperty("EarlierExpiresAt", earlier.Value));
            }
            return result;
        }

        private sealed class Context
        {
            public Context(ICollection<MediaKind> kinds, MediaNameTemplate? template, string? prompt, DateTime? expiresAt)
            {
                Kinds = kinds;
                Template = template;
                Prompt = prompt;
                ExpiresAt = expiresAt;
            }

            public ICollection<MediaKind> Kinds { get; }

            public MediaNameTemplate? Template { get; }

            public string? Prompt { get; }

            public DateTime? ExpiresAt { get; }

            public MediaItem Item(string taskId, MediaKind kind, int index, string? url, string? base64) =>
                new MediaItem(taskId, kind, index, url, base64, Prompt, ExpiresAt, Template?.BaseName(taskId, kind, index, Prompt));
        }

        private static void AddVideo(List<MediaItem> planned, PSObject video, string taskId, int index, Context context)
        {
            var url = Text(video, "Url", "url");
            var cover = Text(video, "CoverImageUrl", "cover_image_url");
            if (url != null && context.Kinds.Contains(MediaKind.Video)) planned.Add(context.Item(taskId, MediaKind.Video, index, url, null));
            if (cover != null && context.Kinds.Contains(MediaKind.Cover)) planned.Add(context.Item(taskId, MediaKind.Cover, index, cover, null));
        }

        private static void AddImage(List<MediaItem> planned, PSObject image, string taskId, int index, Context context)
        {
            if (!context.Kinds.Contains(MediaKind.Image)) return;
            var url = Text(image, "Url", "url");
            var base64 = Text(image, "B64Json", "b64_json");
            if (url != null || base64 != null) planned.Add(context.Item(taskId, MediaKind.Image, index, url, url == null ? base64 : null));
        }

        /// <summary>The warning about the input's UnreadFields (live, or a deserialized copy's dictionary); null when it has none.</summary>
        private static string? UnreadText(PSObject item, string taskId)
        {
            var value = item.Properties["UnreadFields"]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (!(value is IDictionary fields) || fields.Count == 0) return null;
            var unread = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (DictionaryEntry field in fields) unread[field.Key?.ToString() ?? string.Empty] = field.Value is PSObject p ? p.BaseObject : field.Value;
            return AsyncResult.UnreadText(taskId, unread);
        }

        private static DateTime? Date(PSObject item, string name)
        {
            var value = item.Properties[name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is DateTime date) return date.ToUniversalTime();
            if (value is DateTimeOffset offset) return offset.UtcDateTime;
            if (value is string text && DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed;
            }
            return null;
        }

        private static string? Text(PSObject item, params string[] names)
        {
            foreach (var name in names)
            {
                var value = item.Properties[name]?.Value;
                if (value is PSObject wrapped) value = wrapped.BaseObject;
                var text = value?.ToString();
                if (!string.IsNullOrWhiteSpace(text)) return text;
            }
            return null;
        }

        /// <summary>
        /// The Index of an item of a result's own list (its place in the API's list, kept when the parser left out an
        /// item it could not read), else its position here (the API's JSON shape has no Index).
        /// </summary>
        private static int IndexOf(PSObject result, string list, PSObject item, int position) =>
            result.Properties[list] != null && item.Properties["Index"] != null ? Number(item, "Index") : position;

        private static int Number(PSObject item, string name)
        {
            var value = item.Properties[name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (!(value is IConvertible convertible)) return 0;
            try
            {
                return Convert.ToInt32(convertible, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is FormatException || ex is OverflowException || ex is InvalidCastException)
            {
                // An index is only a hint for the file name; a value that is not a number counts as the first.
                return 0;
            }
        }

        private static IList<object>? Collection(PSObject item, params string[] names)
        {
            foreach (var name in names)
            {
                var raw = item.Properties[name]?.Value;
                var value = raw is PSObject wrapped ? wrapped.BaseObject : raw;
                if (value is string || value is null) continue;
                if (value is IEnumerable list && !(value is IDictionary)) return list.Cast<object>().Where(o => o != null).ToList();
                // One object rather than a list: keep its PSObject, whose note properties a [pscustomobject] lives in.
                return new List<object> { raw! };
            }
            return null;
        }
    }
}
