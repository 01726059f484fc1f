using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// The accounts a connection has used, one <see cref="AccountState"/> per base URI and key. Each
    /// Connect-ZAi creates its own registry (a new connection learns afresh); commands that run on the
    /// environment alone (ZAI_API_KEY) share <see cref="Environment"/>.
    /// </summary>
    internal sealed class AccountRegistry
    {
        private readonly ConcurrentDictionary<string, AccountState> _byAccount = new ConcurrentDictionary<string, AccountState>(StringComparer.Ordinal);

        /// <summary>The registry of commands that run without Connect-ZAi.</summary>
        public static AccountRegistry Environment { get; } = new AccountRegistry();

        public AccountState For(ConnectionSettings settings) => _byAccount.GetOrAdd(AccountKey(settings), _ => new AccountState());

        /// <summary>The account's identity without the key: a hash of the base URI and the key.</summary>
        private static string AccountKey(ConnectionSettings settings)
        {
            using var sha = SHA256.Create();
            var key = settings.ApiKey?.Reveal() ?? string.Empty;
            return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(settings.BaseUri.AbsoluteUri + "\n" + key)));
        }
    }
}
