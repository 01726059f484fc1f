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

        /// <summary>Chat models offered for tab completion of Start-ZAiChatCompletion -Model (any other name is sent as given).</summary>
        public static readonly string[] Chat = { "glm-4.6", "glm-4.5", "glm-4.5-air", "glm-4.5-flash", "glm-4.5v", "glm-4-plus", "glm-4-32b-0414-128k" };

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
            if (model.StartsWith("glm-", StringComparison.OrdinalIgnoreCase)) return ResultKind.Chat;
            return ResultKind.Unknown;
        }
    }
}
