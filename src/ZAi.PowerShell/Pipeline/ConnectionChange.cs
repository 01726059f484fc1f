using System;
using System.IO;
using System.Management.Automation;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Connect-ZAi's work: the request's options (and its price file) laid over the current connection, checked as
    /// the next call would use them, then made the connection of the process or the runspace. Anything wrong is a
    /// terminating error and connects nothing.
    /// </summary>
    internal static class ConnectionChange
    {
        /// <param name="priceFile">-PriceFile as given, or null.</param>
        /// <param name="fullPath">Turns a path as given into a file system path (the session's current location).</param>
        /// <param name="fail">Throws the terminating error (the cmdlet's ThrowTerminatingError); it does not return.</param>
        /// <returns>The new connection's context when <paramref name="passThru"/>, else null.</returns>
        public static ZAiContext? Apply(ConnectionRequest request, string? priceFile, ConnectionScope scope, bool passThru, IPipelineSink sink, Func<string, string> fullPath, Action<ErrorRecord> fail)
        {
            ConnectionOptions options;
            try
            {
                options = request.Options();
            }
            catch (ArgumentException ex)
            {
                fail(ErrorRecords.Invalid(ErrorTable.InvalidConfiguration, ex.Message, null));
                throw;
            }
            if (priceFile != null) options.Prices = LoadPriceFile(priceFile, scope, sink, fullPath, fail);
            options = options.Over(ZAiSession.Connection);
            ConnectionSettings settings;
            try
            {
                options.Proxy?.Validate();
                settings = ZAiSession.Resolve(options, Environment.GetEnvironmentVariable);
                settings.RequireApiKey();
            }
            catch (ArgumentException ex)
            {
                fail(ErrorRecords.Invalid(ErrorTable.InvalidConfiguration, ex.Message, null));
                throw;
            }
            catch (ZAiApiException ex)
            {
                fail(ErrorRecords.FromException(ex, null));
                throw;
            }
            ZAiSession.Connect(options, scope);
            sink.WriteVerbose(ConnectionRequest.Describe(settings));
            return passThru ? new ZAiContext(settings, options.ConnectedAtUtc) : null;
        }

        /// <summary>The price file laid over the module's table, for this connection only (its scope); a bad file connects nothing.</summary>
        private static Prices LoadPriceFile(string path, ConnectionScope scope, IPipelineSink sink, Func<string, string> fullPath, Action<ErrorRecord> fail)
        {
            var full = fullPath(path);
            try
            {
                var prices = Prices.Load(full);
                sink.WriteVerbose($"Cost estimates of this connection ({(scope == ConnectionScope.Runspace ? "this runspace" : "the process")}) now use the {prices.Table.Describe()} ({prices.Table.Entries.Count} models).");
                return prices;
            }
            catch (Exception ex) when (ex is FormatException || ex is IOException || ex is UnauthorizedAccessException)
            {
                fail(new ErrorRecord(ex, ErrorTable.InvalidPriceFile, ErrorCategory.InvalidData, path));
                throw;
            }
        }
    }
}
