using System.Management.Automation;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>Gives chat results the type name ZAi.AsyncResult#Chat, whose default table shows the start of the answer instead of a media count.</summary>
    internal static class ChatView
    {
        public const string TypeName = "ZAi.AsyncResult#Chat";

        public static void Mark(PSObject output)
        {
            if (output.BaseObject is AsyncResult result && result.KindValue == ResultKind.Chat && !output.TypeNames.Contains(TypeName))
            {
                output.TypeNames.Insert(0, TypeName);
            }
        }
    }
}
