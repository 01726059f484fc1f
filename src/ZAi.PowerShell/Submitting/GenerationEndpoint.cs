namespace ZAi.PowerShell.Submitting
{
    /// <summary>Where a kind of generation task is submitted, and what to call it in messages.</summary>
    internal sealed class GenerationEndpoint
    {
        public static readonly GenerationEndpoint Video = new GenerationEndpoint("paas/v4/videos/generations", "video");

        public static readonly GenerationEndpoint Image = new GenerationEndpoint("paas/v4/async/images/generations", "image");

        private GenerationEndpoint(string path, string noun)
        {
            Path = path;
            Noun = noun;
        }

        /// <summary>Path below the base URI.</summary>
        public string Path { get; }

        /// <summary>"video" or "image".</summary>
        public string Noun { get; }
    }
}
