using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;
using ZAi.PowerShell.Costs;
namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// The connection made by Connect-ZAi. By default it is process-wide on purpose: runspaces of
    /// ForEach-Object -Parallel and Start-ThreadJob use it without connecting again. A host that serves several
    /// users from one process connects each runspace with -Scope Runspace instead; that connection comes first
    /// in its runspace and is seen by no other. The options object is replaced whole, never mutated, so readers
    /// on any thread see a consistent connection.
    /// </summary>
    internal static class ZAiSession
    {
        public const string ApiKeyVariable = "ZAI_API_KEY";
        public const string BaseUrlVariable = "ZAI_BASE_URL";

        private static readonly ConditionalWeakTable<Runspace, StrongBox<ConnectionOptions>> ByRunspace = new ConditionalWeakTable<Runspace, StrongBox<ConnectionOptions>>();
        private static ConnectionOptions? _connection;

        /// <summary>The current runspace's own connection, else the process connection.</summary>
        public static ConnectionOptions? Connection => Own(Runspace.DefaultRunspace) ?? Volatile.Read(ref _connection);

        public static void Connect(ConnectionOptions options, ConnectionScope scope = ConnectionScope.Process)
        {
            var runspace = Runspace.DefaultRunspace;
            if (scope == ConnectionScope.Runspace && runspace != null)
            {
                lock (ByRunspace)
                {
                    ByRunspace.Remove(runspace);
                    ByRunspace.Add(runspace, new StrongBox<ConnectionOptions>(options));
                }
                return;
            }
            Volatile.Write(ref _connection, options);
        }

        /// <summary>Forgets the current runspace's own connection if it has one, else the process connection.</summary>
        /// <returns>The scope forgotten, or null when there was no connection.</returns>
        public static ConnectionScope? Disconnect()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace != null)
            {
                lock (ByRunspace)
                {
                    if (ByRunspace.Remove(runspace)) return ConnectionScope.Runspace;
                }
            }
            return Interlocked.Exchange(ref _connection, null) is null ? (ConnectionScope?)null : ConnectionScope.Process;
        }

        private static ConnectionOptions? Own(Runspace? runspace)
        {
            if (runspace is null) return null;
            lock (ByRunspace)
            {
                return ByRunspace.TryGetValue(runspace, out var box) ? box.Value : null;
            }
        }

        /// <summary>The settings the next call will use: Connect-ZAi's values, then ZAI_API_KEY / ZAI_BASE_URL, then defaults.</summary>
        public static ConnectionSettings Resolve(Func<string, string?>? readEnvironment = null)
        {
            return Resolve(Connection, readEnvironment ?? Environment.GetEnvironmentVariable);
        }

        internal static ConnectionSettings Resolve(ConnectionOptions? connection, Func<string, string?> readEnvironment)
        {
            Uri baseUri;
            string baseUriSource;
            if (connection?.BaseUri != null)
            {
                baseUri = connection.BaseUri;
                baseUriSource = "Connect-ZAi";
            }
            else if (!string.IsNullOrWhiteSpace(readEnvironment(BaseUrlVariable)))
            {
                baseUri = BaseUriRules.Normalize(readEnvironment(BaseUrlVariable)!, "The " + BaseUrlVariable + " environment variable");
                baseUriSource = BaseUrlVariable;
            }
            else
            {
                baseUri = BaseUriRules.International;
                baseUriSource = "Default";
            }

            ApiKey? key;
            string keySource;
            if (connection?.ApiKey != null)
            {
                key = connection.ApiKey;
                keySource = "Connect-ZAi";
            }
            else if (!string.IsNullOrWhiteSpace(readEnvironment(ApiKeyVariable)))
            {
                key = ApiKey.FromPlainText(readEnvironment(ApiKeyVariable)!);
                keySource = ApiKeyVariable;
            }
            else
            {
                key = null;
                keySource = "None";
            }

            return new ConnectionSettings(
                baseUri,
                baseUriSource,
                key,
                keySource,
                connection?.Language ?? ConnectionSettings.DefaultLanguage,
                connection?.ConnectTimeout ?? ConnectionSettings.DefaultConnectTimeout,
                connection?.RequestTimeout ?? ConnectionSettings.DefaultRequestTimeout,
                connection?.MaxRetries ?? ConnectionSettings.DefaultMaxRetries,
                connection?.ConnectionsPerFile ?? Client.DownloadTuning.DefaultConnectionsPerFile,
                connection?.SplitThreshold ?? Client.DownloadTuning.DefaultSplitThreshold,
                connection?.Memory,
                connection?.Prices,
                ProxyRoute.Resolve(connection?.Proxy, readEnvironment));
        }
    }
}
