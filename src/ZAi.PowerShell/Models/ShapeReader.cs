using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ZAi.PowerShell.Models
{
    /// <summary>
    /// Reads the fields that carry a result's media or answers (video_result, image_result, choices, message, content,
    /// video_url) in every shape the API and its SDKs are seen to send: a list of objects, or one object where a list
    /// is documented (z-ai-sdk-java reads image_result both ways). Any other shape is kept raw, under its path in the
    /// body, so a body the module cannot read never passes for a result without media: the result carries it in
    /// UnreadFields and the cmdlet that writes the result warns.
    /// </summary>
    internal sealed class ShapeReader
    {
        private readonly Dictionary<string, object?> _unread = new Dictionary<string, object?>(StringComparer.Ordinal);

        /// <summary>The fields kept raw so far, by path (e.g. image_result, choices[0].message[0].content).</summary>
        public IReadOnlyDictionary<string, object?> Unread => _unread;

        /// <summary>
        /// The objects of <paramref name="name"/>: a list's objects with their positions, or a lone object at 0. Absent
        /// or null: none. A scalar, or a list with items that are not objects (those items are skipped), is kept raw.
        /// </summary>
        public List<(JsonElement Item, int Index)> Objects(JsonElement parent, string name, string path)
        {
            var found = new List<(JsonElement, int)>();
            if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value)) return found;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    return found;
                case JsonValueKind.Object:
                    found.Add((value, 0));
                    return found;
                case JsonValueKind.Array:
                    var index = 0;
                    var odd = false;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object) found.Add((item, index));
                        else odd = true;
                        index++;
                    }
                    if (odd) Keep(path, value);
                    return found;
                default:
                    Keep(path, value);
                    return found;
            }
        }

        /// <summary>Keeps <paramref name="value"/> raw under <paramref name="path"/> (the first value kept for a path stays).</summary>
        public void Keep(string path, JsonElement value)
        {
            if (!_unread.ContainsKey(path)) _unread[path] = JsonValueConverter.ToPlainValue(value);
        }

        /// <summary>Copies what was kept onto the result, so nothing of the body is lost.</summary>
        public void Apply(AsyncResult result)
        {
            if (_unread.Count > 0) result.UnreadFields = new ResultFields(_unread);
        }
    }
}
