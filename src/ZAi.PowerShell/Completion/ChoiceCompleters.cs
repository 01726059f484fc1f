using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ZAi.PowerShell.Submitting;

namespace ZAi.PowerShell.Completion
{
    /// <summary>-Quality of Start-ZAiVideoGeneration: speed, quality.</summary>
    public sealed class VideoQualityCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.VideoQualities;
    }

    /// <summary>-Quality of Start-ZAiImageGeneration: hd, standard.</summary>
    public sealed class ImageQualityCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.ImageQualities;
    }

    /// <summary>-Fps: 30, 60.</summary>
    public sealed class VideoFpsCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.VideoFps.Select(v => v.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>-Duration: 5, 10.</summary>
    public sealed class VideoDurationCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values => GenerationRules.VideoDurations.Select(v => v.ToString(CultureInfo.InvariantCulture));
    }
}
