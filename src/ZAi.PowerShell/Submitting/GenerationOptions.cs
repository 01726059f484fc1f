using System.Collections;
using System.Collections.Generic;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>What a user asked for, before validation: the fields both kinds of task share.</summary>
    internal abstract class GenerationOptions
    {
        public string? Prompt { get; set; }

        public string Model { get; set; } = string.Empty;

        public string? Quality { get; set; }

        public string? Size { get; set; }

        /// <summary>Null to have a request id generated.</summary>
        public string? RequestId { get; set; }

        public string? UserId { get; set; }

        /// <summary>Model-specific body fields (-Parameter).</summary>
        public IDictionary? Parameters { get; set; }
    }

    /// <summary>A video task: POST /paas/v4/videos/generations.</summary>
    internal sealed class VideoGenerationOptions : GenerationOptions
    {
        public const string DefaultModel = "cogvideox-3";

        public VideoGenerationOptions()
        {
            Model = DefaultModel;
        }

        /// <summary>Images already resolved by <see cref="ImageInput"/>: URLs or data URIs; two are the first and last frame.</summary>
        public IReadOnlyList<string> Images { get; set; } = System.Array.Empty<string>();

        public bool? WithAudio { get; set; }

        public int? Fps { get; set; }

        public int? Duration { get; set; }
    }

    /// <summary>An image task: POST /paas/v4/async/images/generations.</summary>
    internal sealed class ImageGenerationOptions : GenerationOptions
    {
        public const string DefaultModel = "glm-image";

        public ImageGenerationOptions()
        {
            Model = DefaultModel;
        }
    }
}
