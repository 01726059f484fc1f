namespace ZAi
{
    /// <summary>The kind of one media file of a result.</summary>
    public enum MediaKind
    {
        /// <summary>A generated video.</summary>
        Video = 1,
        /// <summary>The cover image of a generated video.</summary>
        Cover = 2,
        /// <summary>A generated image.</summary>
        Image = 3,
    }
}
