using System;
using System.Threading;

namespace ZAi.PowerShell.Client
{
    /// <summary>
    /// The process-wide connection made by Connect-ZAi. It is process-wide on purpose: runspaces of
    /// ForEach-Object -Parallel and Start-ThreadJob use it without connecting again. The options object is
    /// replaced whole, never mutated, so readers on any thread see a consistent connection.
    /// </summary>
    internal static class ZAiSession
    {
        public const string ApiKeyVariable = "ZAI_API_KEY";
        public const string BaseUrlVariable = "ZAI_BASE_URL";

        private static ConnectionOptions? _connection;

        public static ConnectionOptions? Connection => Volatile.Read(ref _connection);

        public static void Connect(ConnectionOptions options) => Volatile.Write(ref _connection, options);

        public static void Disconnect() => Volatile.Write(ref _connection, null);

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
                connection?.MaxRetries ?? ConnectionSettings.DefaultMaxRetries);
        }
    }
}
