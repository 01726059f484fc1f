using ZAi.PowerShell.Costs;
using Xunit;

namespace ZAi.PowerShell.Tests.TaskKinds;

public class PriceTableTests
{
    [Theory]
    [InlineData("cogvideox-3", "0.2")]
    [InlineData("viduq1-text", "0.4")]
    [InlineData("viduq1-image", "0.4")]
    [InlineData("viduq1-start-end", "0.4")]
    [InlineData("vidu2-image", "0.2")]
    [InlineData("vidu2-start-end", "0.2")]
    [InlineData("vidu2-reference", "0.4")]
    [InlineData("glm-image", "0.015")]
    [InlineData("cogview-4", "0.01")]
    [InlineData("vidu_template_agent", "0.2")]
    [InlineData("COGVIDEOX-3", "0.2")]
    public void BuiltInTableHasThePublishedPrices(string model, string price)
    {
        Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), PriceTable.BuiltIn.Estimate(model));
    }

    [Fact]
    public void BuiltInTableIsDatedVersionedAndSourced()
    {
        var table = PriceTable.BuiltIn;

        Assert.Equal(1, table.Version);
        Assert.Equal("2026-07-01", table.Date);
        Assert.Contains("Z.AI", table.Source);
        Assert.Equal("USD", table.Currency);
        Assert.Equal("price table of 2026-07-01", table.ShortName);
    }

    [Theory]
    [InlineData("glm-4.6")]
    [InlineData("no-such-model")]
    [InlineData(null)]
    public void ChatAndUnknownModelsHaveNoEstimate(string? model)
    {
        Assert.Null(PriceTable.BuiltIn.Estimate(model));
    }

    [Fact]
    public void ChatModelsAreKnownAsBilledByTokens()
    {
        Assert.Equal("tokens", PriceTable.BuiltIn.Find("glm-4.6")!.Per);
        Assert.Null(PriceTable.BuiltIn.Find("no-such-model"));
    }

    [Fact]
    public void UserFileReplacesAndAddsPricesExactly()
    {
        var user = PriceTable.Parse("""
            { "date": "2026-09-01", "source": "our contract", "prices": { "cogvideox-3": 0.25, "glm-4.6": { "price": 0.003, "per": "task" }, "new-model": 1.1 } }
            """, "prices.json");

        var merged = PriceTable.BuiltIn.With(user);

        Assert.Equal(0.25m, merged.Estimate("cogvideox-3"));
        Assert.Equal(0.003m, merged.Estimate("glm-4.6"));
        Assert.Equal(1.1m, merged.Estimate("new-model"));
        Assert.Equal(0.015m, merged.Estimate("glm-image"));
        Assert.Equal("2026-09-01", merged.Date);
        Assert.Contains("our contract", merged.Source);
        Assert.Contains("2026-07-01", merged.Source);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{ "date": "2026-09-01" }""", "no \"prices\" object")]
    [InlineData("""{ "prices": { "cogvideox-3": -1 } }""", "'cogvideox-3'")]
    [InlineData("""{ "prices": { "cogvideox-3": "0.2" } }""", "write a number of USD")]
    [InlineData("""{ "prices": { "cogvideox-3": { "per": "video" } } }""", "has no \"price\"")]
    [InlineData("""{ "currency": "CNY", "prices": {} }""", "in CNY")]
    [InlineData("""{ "version": 2, "prices": {} }""", "version 2")]
    [InlineData("""{ "date": "July 2026", "prices": {} }""", "yyyy-MM-dd")]
    public void BadPriceFilesAreRefusedWithAMessageNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PriceTable.Parse(json, "my-prices.json"));

        Assert.Contains("my-prices.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void PricesAreReadAsDecimalsWithoutBinaryRounding()
    {
        var table = PriceTable.Parse("""{ "prices": { "a": 0.1, "b": 0.2, "c": 0.0000000000000000000000000001 } }""", "t");

        Assert.Equal(0.3m, table.Estimate("a")!.Value + table.Estimate("b")!.Value);
        Assert.Equal(0.0000000000000000000000000001m, table.Estimate("c"));
    }

    [Theory]
    [InlineData("0.2", "$0.20")]
    [InlineData("0.015", "$0.015")]
    [InlineData("12", "$12.00")]
    public void AmountsAreShownInDollarsWithTheirDigits(string amount, string shown)
    {
        Assert.Equal(shown, Prices.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
