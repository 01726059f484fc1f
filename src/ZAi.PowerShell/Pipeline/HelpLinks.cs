namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Where each cmdlet's help page is on the web, for Get-Help -Online: every cmdlet's HelpUri is
    /// <see cref="Docs"/> + its name + ".md", the same address as its page's 'online version' (Help.Tests.ps1 holds
    /// the two equal), so -Online works with or without the help files.
    /// </summary>
    internal static class HelpLinks
    {
        public const string Docs = "https://github.com/zai-powershell/ZAi/blob/main/docs/en-US/";
    }
}
