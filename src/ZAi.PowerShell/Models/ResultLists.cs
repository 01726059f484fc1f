using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace ZAi
{
    /// <summary>
    /// The videos of a result. A list, not an array, so that its text (an Export-Csv cell, a string in a template)
    /// is the videos' links, separated by spaces, instead of the type name 'ZAi.VideoResult[]'.
    /// </summary>
    public sealed class VideoResultList : ReadOnlyCollection<VideoResult>
    {
        internal VideoResultList(IList<VideoResult> items) : base(items) { }

        /// <summary>The video links, separated by spaces; empty when there are none.</summary>
        public override string ToString() => string.Join(" ", this.Select(v => v.ToString()).Where(s => s.Length > 0));
    }

    /// <summary>The images of a result; its text is the image links, separated by spaces (see <see cref="VideoResultList"/>).</summary>
    public sealed class ImageResultList : ReadOnlyCollection<ImageResult>
    {
        internal ImageResultList(IList<ImageResult> items) : base(items) { }

        /// <summary>The image links, separated by spaces; empty when there are none.</summary>
        public override string ToString() => string.Join(" ", this.Select(i => i.ToString()).Where(s => s.Length > 0));
    }

    /// <summary>The answers of a chat completion; its text (an Export-Csv cell) is the answers' text, one per line, instead of 'ZAi.ChatChoice[]'.</summary>
    public sealed class ChatChoiceList : ReadOnlyCollection<ChatChoice>
    {
        internal static readonly ChatChoiceList Empty = new ChatChoiceList(System.Array.Empty<ChatChoice>());

        internal ChatChoiceList(IList<ChatChoice> items) : base(items) { }

        /// <summary>The answers' text, one per line; empty when there are none.</summary>
        public override string ToString() => string.Join("\n", this.Select(c => c.ToString()).Where(s => s.Length > 0));
    }

    /// <summary>
    /// Fields of the API's body that the result has no property for, by their API names. Its text (an Export-Csv
    /// cell) is the fields as compact JSON, empty when there are none, instead of a generic type name.
    /// </summary>
    public sealed class ResultFields : ReadOnlyDictionary<string, object?>
    {
        internal ResultFields(IReadOnlyDictionary<string, object?> fields)
            : base(fields.ToDictionary(pair => pair.Key, pair => pair.Value))
        {
        }

        /// <summary>The fields as compact JSON; empty when there are none.</summary>
        public override string ToString() => Count == 0 ? string.Empty : System.Text.Json.JsonSerializer.Serialize(Dictionary);
    }
}
