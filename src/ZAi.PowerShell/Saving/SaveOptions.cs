using System.Collections.Generic;

namespace ZAi.PowerShell.Saving
{
    /// <summary>What Save-ZAiMedia was asked to do.</summary>
    internal sealed class SaveOptions
    {
        public const int DefaultThrottleLimit = 16;

        public SaveOptions(string folder, ICollection<MediaKind> kinds)
        {
            Folder = folder;
            Kinds = kinds;
        }

        /// <summary>The destination folder, a full file-system path.</summary>
        public string Folder { get; }

        public ICollection<MediaKind> Kinds { get; }

        /// <summary>Download again even when the file exists.</summary>
        public bool Force { get; set; }

        /// <summary>An existing file is an error instead of skipped.</summary>
        public bool NoClobber { get; set; }

        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>How to name the files (-NameTemplate); null names them by task id.</summary>
        public MediaNameTemplate? NameTemplate { get; set; }
    }
}
