using System;

namespace ZAi.PowerShell.Models
{
    /// <summary>Model names the API documents, and what each produces.</summary>
    internal static class KnownModels
    {
        public static readonly string[] Video =
        {
            "cogvideox-3", "viduq1-text", "viduq1-image", "viduq1-start-end",
            "vidu2-image", "vidu2-start-end", "vidu2-reference",
        };

        public static readonly string[] Image = { "glm-image" };

        /// <summary>The kind a model produces, for bodies that carry no results yet (a task still processing).</summary>
        public static ResultKind KindOf(string? model)
        {
            if (string.IsNullOrEmpty(model)) return ResultKind.Unknown;
            if (model!.StartsWith("cogvideo", StringComparison.OrdinalIgnoreCase)
                || model.StartsWith("vidu", StringComparison.OrdinalIgnoreCase))
            {
                return ResultKind.Video;
            }
            if (model.StartsWith("cogview", StringComparison.OrdinalIgnoreCase)
                || string.Equals(model, "glm-image", StringComparison.OrdinalIgnoreCase))
            {
                return ResultKind.Image;
            }
            return ResultKind.Unknown;
        }
    }
}
