using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 19, item 4: -NameTemplate '{Prompt}' without a prompt is said once, not silently.</summary>
public class EmptyPromptWarningTests
{
    private static MediaItem Item(string task, string? prompt) => new(task, MediaKind.Image, 0, "https://cdn.test/" + task, null, prompt);

    [Fact]
    public void SaysItOnceAtTheFirstFileWithoutAPrompt()
    {
        var warning = new EmptyPromptWarning(MediaNameTemplate.Parse("{Prompt}-{Index}"));

        Assert.Null(warning.Check(new[] { Item("a", "a cat") }));
        var first = warning.Check(new[] { Item("b", "a dog"), Item("c", "  ") });
        Assert.StartsWith("-NameTemplate '{Prompt}-{Index}': the image 0 of task 'c' has no prompt", first);
        Assert.Null(warning.Check(new[] { Item("d", null) }));
    }

    [Theory]
    [InlineData("{TaskId}-{Kind}")]
    [InlineData(null)]
    public void SaysNothingWhenTheNameHasNoPrompt(string? template)
    {
        var warning = new EmptyPromptWarning(template is null ? null : MediaNameTemplate.Parse(template));
        Assert.Null(warning.Check(new[] { Item("a", null) }));
    }
}
