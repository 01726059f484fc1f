using System;

namespace ZAi.PowerShell.Costs
{
    /// <summary>
    /// The price table of a connection: the module's own, or the one Connect-ZAi -PriceFile laid over it. It belongs
    /// to the connection that was given the file (ConnectionSettings.Prices), so a -Scope Runspace connection's prices
    /// change no other runspace's estimates, and Disconnect-ZAi forgets them with the connection.
    /// </summary>
    internal sealed class Prices
    {
        /// <summary>The module's table, with no price file.</summary>
        public static Prices BuiltIn { get; } = new Prices(PriceTable.BuiltIn, null);

        private Prices(PriceTable table, string? path)
        {
            Table = table;
            FilePath = path;
        }

        /// <summary>The table in force.</summary>
        public PriceTable Table { get; }

        /// <summary>The user's price file laid over the module's table, or null.</summary>
        public string? FilePath { get; }

        /// <summary>The estimated price in USD of one task of <paramref name="model"/>; null when none is known (unknown model, or billed by tokens).</summary>
        public decimal? Estimate(string? model) => Table.Estimate(model);

        /// <summary>"the price table of ... (price file '...')": what the estimates use, for -Verbose.</summary>
        public string Describe() => Table.Describe() + (FilePath is null ? string.Empty : $" (price file '{FilePath}')");

        /// <summary>The price file at <paramref name="path"/> laid over the module's table.</summary>
        /// <exception cref="FormatException">The file is not a price table.</exception>
        /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
        public static Prices Load(string path) => new Prices(PriceTable.BuiltIn.With(PriceTable.Load(path)), path);

        /// <summary>"$0.20": a USD amount as messages show it (at least two decimals, more when the price has them).</summary>
        public static string Format(decimal amount)
        {
            var text = amount.ToString("0.00##########", System.Globalization.CultureInfo.InvariantCulture);
            return "$" + text;
        }
    }
}
