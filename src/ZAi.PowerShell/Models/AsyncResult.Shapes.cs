using System.Collections.Generic;
using System.Linq;

namespace ZAi
{
    /// <summary>The parts of a result that come from shapes seen on the live API beyond its documentation.</summary>
    public sealed partial class AsyncResult
    {
        private static readonly ResultFields NoFields = new ResultFields(new Dictionary<string, object?>());
        private ResultFields _unreadFields = NoFields;
        private int _unreadWarned;

        /// <summary>
        /// Fields that should hold the task's media or answers (video_result, image_result, choices and their parts) but came
        /// in a shape this module does not read, by their path in the body, with their raw values: nothing is lost, and the
        /// cmdlet that returns the result warns. Empty when every field was read.
        /// </summary>
        public ResultFields UnreadFields { get => _unreadFields; internal set => _unreadFields = value ?? NoFields; }

        /// <summary>The prompt as the video model rewrote it (optimized_prompt), when the API returned one; null otherwise.</summary>
        public string? OptimizedPrompt { get; internal set; }

        /// <summary>The warning a cmdlet writes (once) with this result when fields could not be read; null when all was read.</summary>
        internal string? UnreadWarning => UnreadText(Id, _unreadFields);

        /// <summary>True the first time it is asked for this result object: its unread-fields warning is written once.</summary>
        internal bool ClaimUnreadWarning() => System.Threading.Interlocked.Exchange(ref _unreadWarned, 1) == 0;

        /// <summary>"Task 'x': the API sent image_result (text) in a shape ..." for the given unread fields; null when there are none.</summary>
        internal static string? UnreadText(string taskId, IReadOnlyDictionary<string, object?> unread)
        {
            if (unread.Count == 0) return null;
            var fields = string.Join(", ", unread.Select(pair => $"{pair.Key} ({ShapeName(pair.Value)})"));
            return $"Task '{ZAi.PowerShell.Client.TaskIdPath.Shown(taskId)}': the API sent {fields} in a shape this module does not read, "
                + "so what it holds is not among the result's media or answers. The raw value is kept in the result's UnreadFields property.";
        }

        /// <summary>The JSON shape of a raw value, live (plain .NET values) or deserialized (Import-Clixml: PSObjects, ArrayLists, Hashtables).</summary>
        private static string ShapeName(object? value)
        {
            if (value is System.Management.Automation.PSObject wrapped) value = wrapped.BaseObject;
            switch (value)
            {
                case null: return "null";
                case string _: return "text";
                case bool _: return "true or false";
                case System.Collections.IDictionary _: return "an object";
                case System.Collections.IEnumerable _: return "a list of values that are not objects";
                case System.IConvertible _: return "a number";
                default: return "an object";
            }
        }
    }
}
