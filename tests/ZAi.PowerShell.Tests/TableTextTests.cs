using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 19, item 8: table cells measured in terminal cells, shortened in the middle.</summary>
public class TableTextTests
{
    [Theory]
    [InlineData("abc.mp4", 7)]
    [InlineData("\u661F\u7A7A.png", 8)]               // two ideographs, two cells each
    [InlineData("\U0001F680 go", 5)]                  // an emoji is one character of two UTF-16 units, two cells
    [InlineData("e\u0301", 1)]                        // a combining accent takes no cell
    [InlineData("\uFF21\uFF22", 4)]                   // fullwidth Latin
    public void CountsTerminalCells(string text, int cells) => Assert.Equal(cells, TableText.Cells(text));

    [Fact]
    public void KeepsAShortNameWhole() => Assert.Equal("a.mp4", TableText.Fit("a.mp4", 20));

    [Fact]
    public void KeepsTheEndsThatTellTwoFilesOfOnePromptApart()
    {
        var prompt = string.Concat(Enumerable.Repeat("\u661F\u7A7A", 18));
        var first = TableText.Fit(prompt + ".mp4", 51);
        var second = TableText.Fit(prompt + "-0119592efee140.mp4", 51);
        var cover = TableText.Fit(prompt + "-0119592efee140.cover.jpg", 51);

        Assert.All(new[] { first, second, cover }, cell => Assert.True(TableText.Cells(cell) <= 51, $"'{cell}' is {TableText.Cells(cell)} cells"));
        Assert.EndsWith("\u661F\u7A7A.mp4", first);
        Assert.EndsWith("-0119592efee140.mp4", second);
        Assert.EndsWith("-0119592efee140.cover.jpg", cover);
        Assert.Equal(3, new[] { first, second, cover }.Distinct().Count());
        Assert.Contains("\u2026", first);
    }

    [Fact]
    public void NeverSplitsACharacterOutsideTheBmp()
    {
        var cell = TableText.Fit(string.Concat(Enumerable.Repeat("\U0001F680", 40)) + ".png", 21);

        Assert.True(TableText.Cells(cell) <= 21);
        Assert.DoesNotContain(cell, c => char.IsSurrogate(c) && !(char.IsHighSurrogate(c) || char.IsLowSurrogate(c)));
        Assert.Equal(cell.Count(char.IsHighSurrogate), cell.Count(char.IsLowSurrogate));
        Assert.EndsWith(".png", cell);
    }
}
