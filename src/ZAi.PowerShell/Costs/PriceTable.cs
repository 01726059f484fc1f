using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace ZAi.PowerShell.Costs
{
    /// <summary>The price of one model's task, or why there is none.</summary>
    internal sealed class PriceEntry
    {
        public PriceEntry(string model, decimal? price, string per)
        {
            Model = model;
            Price = price;
            Per = per;
        }

        public string Model { get; }

        /// <summary>USD per task; null for models billed by tokens (chat).</summary>
        public decimal? Price { get; }

        /// <summary>video, image, task or tokens.</summary>
        public string Per { get; }
    }

    /// <summary>
    /// What tasks cost, by model: the dated, versioned table shipped in the module (Costs/prices.json, the prices Z.AI
    /// published), or that table with the entries of a user's price file laid over it (Connect-ZAi -PriceFile).
    /// Prices are <see cref="decimal"/>: read from JSON as written, summed without rounding.
    /// </summary>
    internal sealed class PriceTable
    {
        public const string ResourceName = "ZAi.PowerShell.Costs.prices.json";
        private readonly Dictionary<string, PriceEntry> _entries;

        private PriceTable(int version, string date, string source, string currency, Dictionary<string, PriceEntry> entries)
        {
            Version = version;
            Date = date;
            Source = source;
            Currency = currency;
            _entries = entries;
        }

        /// <summary>The table's format version.</summary>
        public int Version { get; }

        /// <summary>When the prices were published (yyyy-MM-dd).</summary>
        public string Date { get; }

        /// <summary>Where they come from.</summary>
        public string Source { get; }

        public string Currency { get; }

        public IReadOnlyCollection<PriceEntry> Entries => _entries.Values;

        /// <summary>"price table of 2026-07-01 from Z.AI's pricing page, July 2026": how messages name the table, without
        /// parentheses, so a message that puts it in parentheses nests no deeper.</summary>
        public string Describe() => $"price table of {Date} from {Source}";

        /// <summary>"price table of 2026-07-01": the short name, for one line per task.</summary>
        public string ShortName => $"price table of {Date}";

        /// <summary>The table shipped with the module.</summary>
        public static PriceTable BuiltIn { get; } = LoadBuiltIn();

        /// <summary>The entry for <paramref name="model"/> (case-insensitive), or null when the table has none.</summary>
        public PriceEntry? Find(string? model) => model != null && _entries.TryGetValue(model.Trim(), out var entry) ? entry : null;

        /// <summary>The estimated price in USD of one task of <paramref name="model"/>; null when not known or billed by tokens.</summary>
        public decimal? Estimate(string? model) => Find(model)?.Price;

        /// <summary>This table with <paramref name="overrides"/>' entries replacing or adding to its own; dated and sourced by the override.</summary>
        public PriceTable With(PriceTable overrides)
        {
            var merged = new Dictionary<string, PriceEntry>(_entries, StringComparer.OrdinalIgnoreCase);
            foreach (var entry in overrides._entries.Values) merged[entry.Model] = entry;
            return new PriceTable(overrides.Version, overrides.Date, $"{overrides.Source}, over the module's table of {Date}", overrides.Currency, merged);
        }

        /// <summary>Reads a price file; <paramref name="origin"/> names it in errors and as the default source.</summary>
        /// <exception cref="FormatException">The text is not a price table; the message says what is wrong where.</exception>
        public static PriceTable Parse(string json, string origin)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                throw new FormatException($"The price file '{origin}' is not valid JSON: {ex.Message}");
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("prices", out var prices) || prices.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"The price file '{origin}' has no \"prices\" object: write {{ \"date\": \"2026-07-01\", \"prices\": {{ \"cogvideox-3\": 0.2 }} }}.");
                }
                var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 1;
                if (version != 1) throw new FormatException($"The price file '{origin}' has version {version}; this module reads version 1.");
                var currency = Text(root, "currency") ?? "USD";
                if (!string.Equals(currency, "USD", StringComparison.OrdinalIgnoreCase))
                {
                    throw new FormatException($"The price file '{origin}' is in {currency}; -MaximumCost and the estimates are in USD, so prices must be too.");
                }
                var entries = new Dictionary<string, PriceEntry>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in prices.EnumerateObject())
                {
                    entries[property.Name] = ReadEntry(property, origin);
                }
                var date = Text(root, "date");
                if (date != null && !DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    throw new FormatException($"The price file '{origin}' has date '{date}'; write it as yyyy-MM-dd.");
                }
                return new PriceTable(version, date ?? "(undated)", Text(root, "source") ?? $"the price file '{origin}'", "USD", entries);
            }
        }

        /// <summary>Reads and parses a price file.</summary>
        /// <exception cref="FormatException">The file is not a price table.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static PriceTable Load(string path) => Parse(File.ReadAllText(path), path);

        private static PriceEntry ReadEntry(JsonProperty property, string origin)
        {
            var model = property.Name.Trim();
            if (model.Length == 0) throw new FormatException($"The price file '{origin}' has a price without a model name.");
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Number) return new PriceEntry(model, Price(value, model, origin), "task");
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"The price of '{model}' in '{origin}' is a JSON {value.ValueKind}; write a number of USD, or {{ \"price\": 0.2, \"per\": \"video\" }}.");
            }
            var per = Text(value, "per") ?? "task";
            decimal? price = value.TryGetProperty("price", out var p) && p.ValueKind != JsonValueKind.Null ? Price(p, model, origin) : (decimal?)null;
            if (price is null && !string.Equals(per, "tokens", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"The entry of '{model}' in '{origin}' has no \"price\"; only models billed by \"tokens\" may leave it out.");
            }
            return new PriceEntry(model, price, per);
        }

        private static decimal Price(JsonElement value, string model, string origin)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var price) || price < 0)
            {
                throw new FormatException($"The price of '{model}' in '{origin}' is '{value.GetRawText()}'; write a number of USD, 0 or more.");
            }
            return price;
        }

        private static string? Text(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static PriceTable LoadBuiltIn()
        {
            using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The module's price table ({ResourceName}) is missing from the assembly.");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), "built-in");
        }
    }
}
