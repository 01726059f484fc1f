using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Pipeline;

namespace ZAi.PowerShell.Commands
{
    /// <summary>Disconnect-ZAi: forgets what Connect-ZAi set; later calls use ZAI_API_KEY and ZAI_BASE_URL if set.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "ZAi", HelpUri = HelpLinks.Docs + "Disconnect-ZAi.md")]
    [OutputType(typeof(void))]
    public sealed class DisconnectZAiCommand : ZAiCmdlet
    {
        protected override void EndProcessing()
        {
            var forgotten = ZAiSession.Disconnect();
            WriteVerbose(forgotten switch
            {
                ConnectionScope.Runspace => "Disconnected this runspace: its key, settings and prices from Connect-ZAi -Scope Runspace are forgotten; the process connection, if any, applies again.",
                ConnectionScope.Process => "Disconnected: the key, settings and prices from Connect-ZAi are forgotten; runspaces with a connection of their own keep it.",
                _ => "Not connected with Connect-ZAi; nothing to forget.",
            });
        }
    }
}
