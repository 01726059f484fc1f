using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class TaskIdPathTests
{
    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData(" ", "whitespace")]
    [InlineData("\t \u00a0", "whitespace")]
    [InlineData("abc\ndef", "control character U+000A at position 3")]
    [InlineData("\u0000", "control character U+0000 at position 0")]
    [InlineData("ab\u007f", "control character U+007F at position 2")]
    [InlineData("ab\u0085c", "control character U+0085")]
    [InlineData(".", "is not a task id")]
    [InlineData("..", "is not a task id")]
    public void UnusableIdsAreRejectedWithAMessageNamingTheProblem(string? id, string expected)
    {
        var problem = TaskIdPath.Problem(id);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void ControlCharactersAreNotEchoedRawInTheMessage()
    {
        var problem = TaskIdPath.Problem("abc\u001b[2Jdef");

        Assert.NotNull(problem);
        Assert.Contains("U+001B", problem);
        Assert.DoesNotContain('\u001b', problem!);
        Assert.Contains("abc?[2Jdef", problem);
    }

    [Fact]
    public void TooLongIdIsRejectedNamingTheLimit()
    {
        Assert.Null(TaskIdPath.Problem(new string('a', TaskIdPath.MaxLength)));

        var problem = TaskIdPath.Problem(new string('a', TaskIdPath.MaxLength + 1));

        Assert.NotNull(problem);
        Assert.Contains("513", problem);
        Assert.Contains("512", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\rb")]
    [InlineData(".")]
    [InlineData("..")]
    public void EscapeThrowsArgumentExceptionWithTheSameMessage(string? id)
    {
        var error = Assert.Throws<ArgumentException>(() => TaskIdPath.Escape(id!));

        Assert.StartsWith(TaskIdPath.Problem(id)!, error.Message);
        Assert.Equal("id", error.ParamName);
    }

    [Theory]
    [InlineData("8f2c1a9e3b7d4c6f")]
    [InlineData("a/b")]
    [InlineData("a?b=c")]
    [InlineData("a#frag")]
    [InlineData("100%")]
    [InlineData("%2F")]
    [InlineData("with space")]
    [InlineData(" leading and trailing ")]
    [InlineData("../../etc/passwd")]
    [InlineData("a..b")]
    [InlineData("...")]
    [InlineData("x/../y")]
    [InlineData("a\\b")]
    [InlineData("a;b&c=d+e")]
    [InlineData("日本語-タスク")]
    public void EscapedIdIsExactlyOneSegmentThatDecodesToTheId(string id)
    {
        var segment = TaskIdPath.Escape(id);

        Assert.DoesNotContain('/', segment);
        Assert.DoesNotContain('?', segment);
        Assert.DoesNotContain('#', segment);
        Assert.DoesNotContain(' ', segment);
        Assert.DoesNotContain('\\', segment);
        Assert.NotEqual(".", segment);
        Assert.NotEqual("..", segment);
        Assert.Equal(id, Uri.UnescapeDataString(segment));

        var uri = new Uri(new Uri("https://api.z.ai/api/"), "paas/v4/async-result/" + segment);
        Assert.Equal("/api/paas/v4/async-result/" + segment, uri.AbsolutePath);
        Assert.Empty(uri.Query);
        Assert.Empty(uri.Fragment);
    }

    [Fact]
    public void PercentIsEscapedSoItIsNeverDecodedTwice()
    {
        Assert.Equal("100%25", TaskIdPath.Escape("100%"));
        Assert.Equal("%252F", TaskIdPath.Escape("%2F"));
        Assert.Equal("a%20b", TaskIdPath.Escape("a b"));
    }

    [Fact]
    public void ShownMakesControlCharactersVisibleAndShortensLongIds()
    {
        Assert.Equal("a?b", TaskIdPath.Shown("a\u0007b"));

        var shown = TaskIdPath.Shown(new string('x', 200));
        Assert.Equal(new string('x', 80) + "...", shown);
    }

    [Fact]
    public void UnpairedSurrogateIsRejected()
    {
        var problem = TaskIdPath.Problem("abc\ud800def");

        Assert.NotNull(problem);
        Assert.Contains("surrogate", problem);
    }

    [Fact]
    public void PairedSurrogatesAreFineAndRoundTrip()
    {
        var id = "task-\ud83c\udfac-1";

        Assert.Null(TaskIdPath.Problem(id));
        Assert.Equal(id, Uri.UnescapeDataString(TaskIdPath.Escape(id)));
    }
}
