using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using ZAi.PowerShell.Client;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// The accounts a connection has used, one <see cref="AccountState"/> per base URI and key, kept in the
    /// connection's <see cref="ConnectionMemory"/>: each Connect-ZAi learns afresh; commands that run on the
    /// environment alone (ZAI_API_KEY) share <see cref="ConnectionMemory.Environment"/>.
    /// </summary>
    internal sealed class AccountRegistry
    {
        private readonly ConditionalWeakTable<ConnectionSettings, AccountState> _bySettings = new ConditionalWeakTable<ConnectionSettings, AccountState>();
        private readonly ConcurrentDictionary<string, AccountState> _byAccount = new ConcurrentDictionary<string, AccountState>(StringComparer.Ordinal);

        /// <summary>The registry of commands that run without Connect-ZAi.</summary>
        public AccountState For(ConnectionSettings settings) =>
            _bySettings.GetValue(settings, s => _byAccount.GetOrAdd(AccountKey(s), _ => new AccountState()));

        /// <summary>The account's identity without the key: a hash of the base URI and the key.</summary>
        private static string AccountKey(ConnectionSettings settings)
        {
            using var sha = SHA256.Create();
            var key = settings.ApiKey?.Reveal() ?? string.Empty;
            return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(settings.BaseUri.AbsoluteUri + "\n" + key)));
        }
    }
}
