using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Commands
{
    /// <summary>Get-ZAiContext: shows the connection the next call will use, with the key masked.</summary>
    [Cmdlet(VerbsCommon.Get, "ZAiContext", HelpUri = HelpLinks.Docs + "Get-ZAiContext.md")]
    [OutputType(typeof(ZAiContext))]
    public sealed class GetZAiContextCommand : ZAiCmdlet
    {
        protected override void EndProcessing()
        {
            var settings = ResolveSettings();
            WriteObject(new ZAiContext(settings, ZAiSession.Connection?.ConnectedAtUtc));
        }
    }
}
