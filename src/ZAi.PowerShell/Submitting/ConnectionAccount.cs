using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    internal static class ConnectionAccount
    {
        /// <summary>
        /// This connection's account (base URI and key): what the session owns on it (its queue, its request ids, its
        /// agents' tasks), seen by no other account.
        /// </summary>
        public static AccountState Account(this ConnectionSettings settings) =>
            settings.Memory.Get(() => new AccountRegistry()).For(settings);
    }
}
