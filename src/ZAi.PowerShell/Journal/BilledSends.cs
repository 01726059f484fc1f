using System;
using System.Collections.Generic;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// How many sends a journal's requests may have been billed for, by model, kept as its lines are read. A budget's
    /// check before each send then prices each model once, where a walk over every request made a long run's
    /// checks grow with the square of its prompts.
    /// </summary>
    internal sealed class BilledSends
    {
        private readonly Dictionary<string, int> _byModel = new Dictionary<string, int>(StringComparer.Ordinal);
        private int _withoutModel;

        /// <summary>Counts <paramref name="sends"/> more sends of <paramref name="model"/> (fewer when negative).</summary>
        public void Add(string? model, int sends)
        {
            if (sends == 0) return;
            if (model is null)
            {
                _withoutModel += sends;
                return;
            }
            _byModel.TryGetValue(model, out var count);
            count += sends;
            if (count == 0) _byModel.Remove(model);
            else _byModel[model] = count;
        }

        /// <summary>The model of every counted send, one per send, grouped by model.</summary>
        public List<string?> Models()
        {
            var models = new List<string?>();
            for (var i = 0; i < _withoutModel; i++) models.Add(null);
            foreach (var model in _byModel)
            {
                for (var i = 0; i < model.Value; i++) models.Add(model.Key);
            }
            return models;
        }

        /// <summary>What the counted sends may have been billed by <paramref name="priceOf"/>; a model without a price adds nothing.</summary>
        public decimal Spend(Func<string?, decimal?> priceOf)
        {
            var spend = _withoutModel == 0 ? 0m : (priceOf(null) ?? 0m) * _withoutModel;
            foreach (var model in _byModel)
            {
                spend += (priceOf(model.Key) ?? 0m) * model.Value;
            }
            return spend;
        }
    }
}
