using System;
using System.Collections.Generic;
using System.Globalization;

namespace ZAi.PowerShell.Costs
{
    /// <summary>What the price table says about one task of a batch, and whether the budget lets it go.</summary>
    internal sealed class CostDecision
    {
        public CostDecision(string model, decimal? price, string? refusal, string? note, bool billedByTokens = false)
        {
            BilledByTokens = billedByTokens;
            Model = model;
            Price = price;
            Refusal = refusal;
            Note = note;
        }

        public string Model { get; }

        /// <summary>The estimated price in USD; null when none is known.</summary>
        public decimal? Price { get; }

        /// <summary>Why the budget refuses the task; null when it may be submitted.</summary>
        public string? Refusal { get; }

        /// <summary>Said once per model of a batch: why its tasks have no estimate.</summary>
        public string? Note { get; }

        public bool Refused => Refusal != null;

        /// <summary>The table knows the model as billed by tokens (chat): no estimate before the run.</summary>
        public bool BilledByTokens { get; }
    }

    /// <summary>
    /// The estimated cost of a submission command's batch and its budget (-MaximumCost, USD). The run's estimated spend
    /// starts at what its journal already records as accepted; each new task adds its price, and a task that would take
    /// the spend over the budget is refused (and adds nothing). Tasks of models without a price (chat models billed by
    /// tokens, unknown models) are submitted without an estimate and not counted; that is said once per model.
    /// All amounts are <see cref="decimal"/>: 0.1 + 0.2 is 0.3.
    /// </summary>
    internal sealed class BatchCosts
    {
        private readonly PriceTable _prices;
        private readonly HashSet<string> _noted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly object _lock = new object();

        /// <param name="maximum">The budget in USD, or null for none.</param>
        /// <param name="journalModels">The models of the tasks the run's journal already records as accepted.</param>
        public BatchCosts(decimal? maximum, PriceTable prices, IEnumerable<string?>? journalModels = null)
        {
            if (maximum < 0) throw new ArgumentOutOfRangeException(nameof(maximum), "-MaximumCost must not be negative.");
            Maximum = maximum;
            _prices = prices;
            foreach (var model in journalModels ?? Array.Empty<string?>())
            {
                var price = prices.Estimate(model);
                if (price.HasValue) JournalSpent += price.Value;
                else JournalUnpriced++;
                JournalTasks++;
            }
        }

        public decimal? Maximum { get; }

        /// <summary>The estimated price of the tasks the journal recorded as accepted before this command.</summary>
        public decimal JournalSpent { get; }

        public int JournalTasks { get; }

        public int JournalUnpriced { get; }

        /// <summary>The estimated price of the tasks this command submits (or, under -WhatIf, would submit).</summary>
        public decimal NewSpent { get; private set; }

        public int NewTasks { get; private set; }

        public int NewUnpriced { get; private set; }

        public int RefusedTasks { get; private set; }

        /// <summary>The run's estimated spend: the journal's earlier tasks and this command's.</summary>
        public decimal Spent => JournalSpent + NewSpent;

        /// <summary>Prices a new task of <paramref name="model"/> and counts it unless the budget refuses it.</summary>
        public CostDecision Admit(string model)
        {
            lock (_lock)
            {
                var entry = _prices.Find(model);
                var price = entry?.Price;
                string? note = null;
                if (price is null && _noted.Add(model))
                {
                    note = entry != null
                        ? $"Model '{model}' is billed by tokens in the {_prices.Describe()}: its tasks have no estimate before they run; their Usage shows the tokens afterwards."
                        : $"No price is known for model '{model}' in the {_prices.Describe()}: its tasks have no estimate. Add it to a price file (Connect-ZAi -PriceFile) to count it.";
                    if (Maximum.HasValue) note += " They are not counted against -MaximumCost.";
                }
                if (price.HasValue && Maximum.HasValue && Spent + price.Value > Maximum.Value)
                {
                    RefusedTasks++;
                    return new CostDecision(model, price, Refusal(model, price.Value), note);
                }
                if (price.HasValue) NewSpent += price.Value;
                else NewUnpriced++;
                NewTasks++;
                return new CostDecision(model, price, null, note, entry != null && price is null);
            }
        }

        /// <summary>The estimated price of a task of <paramref name="model"/>, or null when none is known.</summary>
        public decimal? PriceOf(string? model) => _prices.Estimate(model);

        /// <summary>Prices a task the journal already counts (a resend under its recorded request id): nothing is added.</summary>
        public CostDecision Quote(string model)
        {
            var entry = _prices.Find(model);
            return new CostDecision(model, entry?.Price, null, null, entry != null && entry.Price is null);
        }

        /// <summary>
        /// Takes back a task this command admitted that the journal's shared budget refused (other commands writing
        /// the same journal spent the room); the refusal, worded on the spend the journal saw.
        /// </summary>
        public string RefuseShared(CostDecision decision, decimal journalSpent)
        {
            Withdraw(decision);
            lock (_lock) RefusedTasks++;
            return $"Not submitted: this {decision.Model} task, estimated {Prices.Format(decision.Price ?? 0m)}, would take the journal's estimated spend, shared by every command writing it, from {Prices.Format(journalSpent)} to {Prices.Format(journalSpent + (decision.Price ?? 0m))}, over -MaximumCost {Prices.Format(Maximum ?? 0m)}.";
        }

        /// <summary>Takes back a task that was admitted but not submitted (declined at -Confirm).</summary>
        public void Withdraw(CostDecision decision)
        {
            if (decision.Refused) return;
            lock (_lock)
            {
                if (decision.Price.HasValue) NewSpent -= decision.Price.Value;
                else NewUnpriced--;
                NewTasks--;
            }
        }

        /// <summary>" Estimated price: $0.20 (prices of ...)." for -WhatIf and -Verbose.</summary>
        public string PriceText(CostDecision decision) => decision.Price.HasValue
            ? $" Estimated price: {Prices.Format(decision.Price.Value)} ({_prices.ShortName})."
            : decision.BilledByTokens ? " Estimated price: none before the run (billed by tokens; see Usage afterwards)." : " Estimated price: none known for this model.";

        /// <summary>
        /// The line that ends a batch, in short sentences: "Estimated cost: $0.40 for 2 new task(s). With the journal's 3
        /// earlier task(s), $0.60, the run comes to $1.00. Budget: $2.00 (-MaximumCost), 1 task(s) refused. Prices: the
        /// price table of 2026-07-01 from Z.AI's pricing page, July 2026."
        /// </summary>
        public string Summary()
        {
            lock (_lock)
            {
                var line = string.Format(CultureInfo.InvariantCulture, "Estimated cost: {0} for {1} new task(s)", Prices.Format(NewSpent), NewTasks);
                if (NewUnpriced > 0) line += string.Format(CultureInfo.InvariantCulture, ", {0} of them without an estimate", NewUnpriced);
                line += ".";
                if (JournalTasks > 0)
                {
                    line += string.Format(CultureInfo.InvariantCulture, " With the journal's {0} earlier task(s), {1}, the run comes to {2}.", JournalTasks, Prices.Format(JournalSpent), Prices.Format(Spent));
                }
                if (Maximum.HasValue)
                {
                    line += $" Budget: {Prices.Format(Maximum.Value)} (-MaximumCost)";
                    if (RefusedTasks > 0) line += string.Format(CultureInfo.InvariantCulture, ", {0} task(s) refused", RefusedTasks);
                    line += ".";
                }
                return line + $" Prices: the {_prices.Describe()}.";
            }
        }

        private string Refusal(string model, decimal price)
        {
            var earlier = JournalTasks > 0 ? $", of which {Prices.Format(JournalSpent)} for the journal's {JournalTasks} earlier task(s)," : string.Empty;
            return $"Not submitted: this {model} task, estimated {Prices.Format(price)}, would take the run's estimated spend from {Prices.Format(Spent)}{earlier} to {Prices.Format(Spent + price)}, over -MaximumCost {Prices.Format(Maximum!.Value)}.";
        }
    }
}
