using System;

namespace ZAi.PowerShell.Saving
{
    /// <summary>Reads Save-ZAiMedia -NameTemplate; a template that cannot work is reported through <c>fail</c> before anything is saved.</summary>
    internal static class SaveNaming
    {
        public static MediaNameTemplate? Template(string? text, Action<string> fail)
        {
            if (text is null) return null;
            try
            {
                return MediaNameTemplate.Parse(text);
            }
            catch (ArgumentException ex)
            {
                fail(ex.Message);
                return null;
            }
        }
    }
}
