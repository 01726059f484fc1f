using System.Management.Automation;
using ZAi.PowerShell.Costs;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Submitting;
using ZAi.PowerShell.Tests.Engine;
using Xunit;

namespace ZAi.PowerShell.Tests.TaskKinds;

/// <summary>What a submission command says about costs, through a sink only its own thread may write to: the budget check, the journal's earlier spend, notes per model, refusals and the closing line.</summary>
public sealed class CostCmdletSupportTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly PriceTable Table = PriceTable.Parse("""{ "date": "2026-07-01", "source": "the test table", "prices": { "cogvideox-3": 0.2, "glm-4.6": { "per": "tokens" } } }""", "test");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-costs-" + Guid.NewGuid().ToString("N"));
    private readonly ThreadCheckingSink _sink = new();

    public CostCmdletSupportTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static GenerationRequest Video(string prompt, string model = "cogvideox-3") =>
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, Model = model });

    private Prices PriceFile()
    {
        var path = Path.Combine(_folder, "prices.json");
        File.WriteAllText(path, """{ "date": "2026-09-01", "source": "test prices", "prices": { "cogvideox-3": 0.25 } }""");
        return Prices.Load(path);
    }

    [Fact]
    public void ANegativeBudgetIsATerminatingErrorAndNothingIsSaid()
    {
        ErrorRecord? thrown = null;
        var error = Assert.Throws<TerminatingError>(() => CostCmdletSupport.Start(_sink, record => throw new TerminatingError(thrown = record), -1m, null, Prices.BuiltIn));

        Assert.Same(thrown, error.Record);
        Assert.Equal("ZAiInvalidArgument", error.Record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.Record.CategoryInfo.Category);
        Assert.Equal("-MaximumCost -1 is negative; give the most the run may spend in USD, e.g. 5 or 12.50.", error.Record.Exception.Message);
        Assert.Equal(-1m, error.Record.TargetObject);
        Assert.Empty(_sink.Verbose);
        _sink.AssertOneThread();
    }

    [Fact]
    public void TheStartSaysThePricesAndWhatTheJournalMayAlreadyHaveBeenBilled()
    {
        var path = Path.Combine(_folder, "journal.jsonl");
        using (var writer = JournalFile.OpenForWriting(path))
        {
            foreach (var prompt in new[] { "a fox", "a cat" })
            {
                var intent = JournalRecord.Submit(Video(prompt), 1, Now);
                writer.Append(intent);
                writer.Append(JournalRecord.Accepted(intent, "task-" + prompt.Replace(' ', '-'), Now));
            }
        }
        var prices = PriceFile();
        using var journal = JournalFile.ReadOnly(path);

        var costs = CostCmdletSupport.Start(_sink, _ => throw new InvalidOperationException("no error expected"), 1m, journal, prices);

        Assert.Equal(new[]
        {
            $"Estimates use the price table of 2026-09-01 from test prices, over the module's table of {PriceTable.BuiltIn.Date} (price file '{Path.Combine(_folder, "prices.json")}').",
            "The journal records 2 task(s) that may be billed, estimated at $0.50.",
        }, _sink.Verbose);
        Assert.Equal(0.5m, costs.JournalSpent);
        Assert.Equal(1m, costs.Maximum);
        _sink.AssertOneThread();
    }

    [Fact]
    public void WithoutAJournalOnlyThePricesAreSaid()
    {
        var costs = CostCmdletSupport.Start(_sink, _ => throw new InvalidOperationException("no error expected"), null, null, PriceFile());

        Assert.Single(_sink.Verbose);
        Assert.StartsWith("Estimates use the price table of 2026-09-01 from test prices", _sink.Verbose[0]);
        Assert.Equal(0, costs.JournalTasks);
        Assert.Null(costs.Maximum);
    }

    [Fact]
    public void AModelWithoutAnEstimateIsAWarningUnderABudgetAndVerboseWithoutOneOncePerModel()
    {
        var budget = new BatchCosts(1m, Table);
        var free = new BatchCosts(null, Table);

        var first = CostCmdletSupport.Admit(_sink, budget, Video("a", "glm-4.6"));
        CostCmdletSupport.Admit(_sink, budget, Video("b", "glm-4.6"));
        CostCmdletSupport.Admit(_sink, free, Video("c", "mystery-model"));
        var priced = CostCmdletSupport.Admit(_sink, budget, Video("d"));

        Assert.True(first.BilledByTokens);
        Assert.Null(first.Price);
        Assert.Equal(0.2m, priced.Price);
        Assert.Equal(new[] { "Model 'glm-4.6' is billed by tokens in the price table of 2026-07-01 from the test table: its tasks have no estimate before they run; their Usage shows the tokens afterwards. They are not counted against -MaximumCost." }, _sink.Warnings);
        Assert.Equal(new[] { "No price is known for model 'mystery-model' in the price table of 2026-07-01 from the test table: its tasks have no estimate. Add it to a price file (Connect-ZAi -PriceFile) to count it." }, _sink.Verbose);
        Assert.Equal(3, budget.NewTasks);
        _sink.AssertOneThread();
    }

    [Fact]
    public void ARefusalReadsAsTheTaskAndItsReasonAndIsABudgetExceededError()
    {
        var text = CostCmdletSupport.RefusalText(Video("A fox in the snow"), "Not submitted: too dear.");
        var record = CostCmdletSupport.RefusalRecord(text, "A fox in the snow");

        Assert.Equal("Video task for 'A fox in the snow': Not submitted: too dear.", text);
        Assert.Equal("ZAiBudgetExceeded", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, record.CategoryInfo.Category);
        Assert.Equal("A fox in the snow", record.TargetObject);
        Assert.Equal(text, record.ErrorDetails.Message);
        Assert.Equal("Raise -MaximumCost, or submit fewer tasks; nothing was sent for this one.", record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void TheClosingLineIsVerboseOrAWhatIfLine()
    {
        var costs = new BatchCosts(0.5m, Table);
        costs.Admit("cogvideox-3");
        const string Summary = "Estimated cost: $0.20 for 1 new task(s). Budget: $0.50 (-MaximumCost). Prices: the price table of 2026-07-01 from the test table.";

        CostCmdletSupport.End(_sink, costs, whatIf: false);
        Assert.Equal(new[] { Summary }, _sink.Verbose);
        Assert.Empty(_sink.Inner.ShouldProcessCalls);

        CostCmdletSupport.End(_sink, costs, whatIf: true);
        Assert.Equal(new[] { ": " + Summary }, _sink.Inner.ShouldProcessCalls);
        Assert.Single(_sink.Verbose);
        _sink.AssertOneThread();
    }
}

/// <summary>What a test's stand-in for ThrowTerminatingError throws.</summary>
internal sealed class TerminatingError : Exception
{
    public TerminatingError(ErrorRecord record)
        : base(record.Exception.Message)
    {
        Record = record;
    }

    public ErrorRecord Record { get; }
}
