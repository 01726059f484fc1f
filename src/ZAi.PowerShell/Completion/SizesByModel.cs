using System;
using System.Collections;
using System.Collections.Generic;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Completion
{
    /// <summary>The sizes to offer for -Size, by the -Model typed before it: only sizes the module knows that model takes.</summary>
    internal static class SizesByModel
    {
        public static string? Model(IDictionary fakeBoundParameters)
        {
            foreach (DictionaryEntry entry in fakeBoundParameters)
            {
                if (string.Equals(entry.Key as string, "Model", StringComparison.OrdinalIgnoreCase)) return entry.Value?.ToString()?.Trim('\'', '"');
            }
            return null;
        }

        public static IEnumerable<string> Video(string? model)
        {
            if (string.IsNullOrEmpty(model) || string.Equals(model, VideoGenerationOptions.DefaultModel, StringComparison.OrdinalIgnoreCase)) return GenerationRules.CogVideoSizes;
            // vidu models have a fixed resolution (viduq1 1080p, vidu2 720p) and shape videos with aspect_ratio;
            // for them, and models the module does not know, no size is offered rather than cogvideox-3's.
            return Array.Empty<string>();
        }

        public static IEnumerable<string> Image(string? model)
        {
            return string.IsNullOrEmpty(model) || string.Equals(model, ImageGenerationOptions.DefaultModel, StringComparison.OrdinalIgnoreCase)
                ? GenerationRules.GlmImageSizes
                : (IEnumerable<string>)Array.Empty<string>();
        }
    }
}
