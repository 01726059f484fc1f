using System;

namespace ZAi.PowerShell.Costs
{
    /// <summary>
    /// The price table in force in this process: the module's own, or the one Connect-ZAi -PriceFile laid over it
    /// (process-wide, like the connection; Disconnect-ZAi goes back to the module's).
    /// </summary>
    internal static class Prices
    {
        private static volatile PriceTable? _override;
        private static volatile string? _overridePath;

        public static PriceTable Current => _override ?? PriceTable.BuiltIn;

        /// <summary>The user's price file in force, or null.</summary>
        public static string? OverridePath => _overridePath;

        /// <summary>The estimated price in USD of one task of <paramref name="model"/> under the current table; null when none is known (unknown model, or billed by tokens).</summary>
        public static decimal? Estimate(string? model) => Current.Estimate(model);

        /// <summary>Lays the price file at <paramref name="path"/> over the module's table.</summary>
        /// <exception cref="FormatException">The file is not a price table.</exception>
        /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
        public static PriceTable Use(string path)
        {
            var table = PriceTable.BuiltIn.With(PriceTable.Load(path));
            _override = table;
            _overridePath = path;
            return table;
        }

        public static void Reset()
        {
            _override = null;
            _overridePath = null;
        }

        /// <summary>"$0.20": a USD amount as messages show it (at least two decimals, more when the price has them).</summary>
        public static string Format(decimal amount)
        {
            var text = amount.ToString("0.00##########", System.Globalization.CultureInfo.InvariantCulture);
            return "$" + text;
        }
    }
}
