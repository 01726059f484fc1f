using ZAi.PowerShell.Costs;
using Xunit;

namespace ZAi.PowerShell.Tests.TaskKinds;

public class BatchCostsTests
{
    private static readonly PriceTable Table = PriceTable.Parse("""{ "date": "2026-07-01", "prices": { "v": 0.2, "i": 0.015, "t": 0.1, "chat": { "per": "tokens" } } }""", "test");

    [Fact]
    public void TasksAreAdmittedUntilTheNextWouldGoOverTheBudget()
    {
        var costs = new BatchCosts(0.5m, Table);

        Assert.False(costs.Admit("v").Refused);
        Assert.False(costs.Admit("v").Refused);
        var third = costs.Admit("v");

        Assert.True(third.Refused);
        Assert.Contains("from $0.40 to $0.60, over -MaximumCost $0.50", third.Refusal);
        Assert.Equal(0.4m, costs.Spent);
        Assert.Equal(2, costs.NewTasks);
        Assert.Equal(1, costs.RefusedTasks);
        // A cheaper task still fits after a refusal.
        Assert.False(costs.Admit("t").Refused);
        Assert.Equal(0.5m, costs.Spent);
    }

    [Fact]
    public void ATaskThatReachesTheBudgetExactlyIsAdmitted()
    {
        var costs = new BatchCosts(0.3m, Table);

        Assert.False(costs.Admit("t").Refused);
        Assert.False(costs.Admit("t").Refused);
        Assert.False(costs.Admit("t").Refused);
        Assert.True(costs.Admit("t").Refused);
        Assert.Equal(0.3m, costs.Spent);
    }

    [Fact]
    public void SumsAreExactOverManyTasks()
    {
        var costs = new BatchCosts(null, Table);
        for (var i = 0; i < 1000; i++) costs.Admit("i");

        Assert.Equal(15m, costs.Spent);
    }

    [Fact]
    public void TasksTheJournalAlreadyAcceptedCountTowardsTheBudget()
    {
        var costs = new BatchCosts(1.0m, Table, new[] { "v", "v", "v", "v", null, "chat" });

        Assert.Equal(0.8m, costs.JournalSpent);
        Assert.Equal(6, costs.JournalTasks);
        Assert.Equal(2, costs.JournalUnpriced);
        Assert.False(costs.Admit("v").Refused);
        var refused = costs.Admit("v");
        Assert.True(refused.Refused);
        Assert.Contains("of which $0.80 for the journal's 6 earlier task(s)", refused.Refusal);
        Assert.Contains("the run comes to $1.00", costs.Summary());
    }

    [Fact]
    public void UnpricedModelsAreNotedOnceAndNotCounted()
    {
        var costs = new BatchCosts(0.2m, Table);

        var first = costs.Admit("chat");
        var second = costs.Admit("chat");
        var unknown = costs.Admit("mystery");

        Assert.False(first.Refused);
        Assert.True(first.BilledByTokens);
        Assert.Contains("billed by tokens", first.Note);
        Assert.Contains("not counted against -MaximumCost", first.Note);
        Assert.Null(second.Note);
        Assert.Contains("No price is known for model 'mystery'", unknown.Note);
        Assert.False(unknown.BilledByTokens);
        Assert.Equal(0m, costs.Spent);
        Assert.Equal(3, costs.NewUnpriced);
    }

    [Fact]
    public void AWithdrawnTaskGivesItsPriceBack()
    {
        var costs = new BatchCosts(0.2m, Table);
        var admitted = costs.Admit("v");

        costs.Withdraw(admitted);

        Assert.Equal(0m, costs.Spent);
        Assert.False(costs.Admit("v").Refused);
    }

    [Fact]
    public void SummaryNamesTheTotalTheBudgetAndTheTable()
    {
        var costs = new BatchCosts(0.25m, Table);
        costs.Admit("v");
        costs.Admit("v");
        costs.Admit("chat");

        Assert.Equal(
            "Estimated cost: $0.20 for 2 new task(s), 1 of them without an estimate. Budget: $0.25 (-MaximumCost), 1 task(s) refused. Prices: the price table of 2026-07-01 from the price file 'test'.",
            costs.Summary());
    }

    [Fact]
    public void EveryCostLineNestsNoParentheses()
    {
        // The longest lines: a price file over the module's table, a journal, a budget, a refusal and an unpriced model.
        var table = PriceTable.BuiltIn.With(PriceTable.Parse("""{ "date": "2026-08-01", "source": "our rates (negotiated)", "prices": { "v": 0.2 } }""", "rates.json"));
        var costs = new BatchCosts(0.5m, table, new[] { "v", "v", "unknown-model" });
        var unpriced = costs.Admit("glm-4.6");
        var refused = costs.Admit("v");

        Assert.Equal(
            "Estimated cost: $0.00 for 1 new task(s), 1 of them without an estimate. With the journal's 3 earlier task(s), $0.40, the run comes to $0.40. "
            + "Budget: $0.50 (-MaximumCost), 1 task(s) refused. Prices: the price table of 2026-08-01 from our rates (negotiated), over the module's table of 2026-07-01.",
            costs.Summary());
        Assert.Equal(
            "Not submitted: this v task, estimated $0.20, would take the run's estimated spend from $0.40, of which $0.40 for the journal's 3 earlier task(s), to $0.60, over -MaximumCost $0.50.",
            refused.Refusal);
        foreach (var line in new[] { costs.Summary(), refused.Refusal!, unpriced.Note!, costs.PriceText(costs.Admit("i")) })
        {
            Assert.True(Depth(line) <= 1, $"nested parentheses in: {line}");
        }
    }

    /// <summary>How deep parentheses nest in <paramref name="text"/>; the plural "(s)" does not count.</summary>
    private static int Depth(string text)
    {
        int depth = 0, deepest = 0;
        foreach (var c in text.Replace("(s)", string.Empty))
        {
            if (c == '(') deepest = System.Math.Max(deepest, ++depth);
            else if (c == ')') depth--;
        }
        return deepest;
    }

    [Fact]
    public void NegativeBudgetIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchCosts(-0.01m, Table));
    }
}
