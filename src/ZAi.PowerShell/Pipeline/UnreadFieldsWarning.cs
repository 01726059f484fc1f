namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// The warning that goes with a result whose media or answer fields came in a shape the module does not read
    /// (<see cref="AsyncResult.UnreadFields"/>): written on the cmdlet's thread, right before the result, once per
    /// result object, so a body the module cannot read never passes silently for one without media.
    /// </summary>
    internal static class UnreadFieldsWarning
    {
        public static void WriteOnce(IPipelineSink sink, AsyncResult result)
        {
            if (result.UnreadWarning is string warning && result.ClaimUnreadWarning()) sink.WriteWarning(warning);
        }
    }
}
