using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>One class gives out names: collisions keep every file, recorded names stay their tasks'.</summary>
public sealed class FileNameClaimsTests
{
    private static readonly MediaNameTemplate Template = MediaNameTemplate.Parse("{Prompt}");

    private static MediaItem Item(string task, string prompt, MediaKind kind = MediaKind.Video) =>
        new(task, kind, 0, "https://x/" + task, null, prompt, null, Template.BaseName(task, kind, 0, prompt));

    [Fact]
    public void TwoTasksWithTheSameLongCjkPromptGetTwoNamesThatKeepTheTaskId()
    {
        var prompt = string.Concat(Enumerable.Repeat("一只在月光下奔跑的狐狸穿过雪原", 10));
        var names = new FileNameClaims(templated: true);

        var first = names.Claim(Item("task-aaaa", prompt))!;
        var second = names.Claim(Item("task-bbbb", prompt));

        Assert.NotNull(second);
        Assert.NotEqual(first.BaseName, second!.BaseName);
        Assert.EndsWith("-task-bbbb", second.BaseName);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(second.BaseName) <= 120);
    }

    [Fact]
    public void ANameRecordedForATaskStaysItsWhicheverTaskComesFirst()
    {
        var names = new FileNameClaims(templated: true);
        names.Reserve("same", "t1", MediaKind.Video, 0);
        names.Reserve("same-t2", "t2", MediaKind.Video, 0);

        // This run, t2 finishes first: it still gets its own name, and t1 keeps the plain one.
        Assert.Equal("same-t2", names.Claim(Item("t2", "same"))!.BaseName);
        Assert.Equal("same", names.Claim(Item("t1", "same"))!.BaseName);
        Assert.Null(names.Claim(Item("t1", "same")));
    }

    [Fact]
    public void EachImageOfATaskKeepsTheNameRecordedForItsIndexAndKind()
    {
        var names = new FileNameClaims(templated: true);
        names.Reserve("cat", "t1", MediaKind.Image, 0);
        names.Reserve("cat-t1-1", "t1", MediaKind.Image, 1);
        MediaItem Image(int index) => new("t1", MediaKind.Image, index, "https://x/" + index, null, "cat", null, Template.BaseName("t1", MediaKind.Image, index, "cat"));

        // The second image comes back first: it still gets its own recorded name, the first image the plain one.
        Assert.Equal("cat-t1-1", names.Claim(Image(1))!.BaseName);
        Assert.Equal("cat", names.Claim(Image(0))!.BaseName);
        // A video of the same task is another item: the name its image holds is not its.
        Assert.NotEqual("cat", names.Claim(new MediaItem("t1", MediaKind.Video, 0, "https://x/v", null, "cat", null, "cat"))!.BaseName);
    }

    [Fact]
    public void ARecordedNameUnlikeTheItemsOwnIsSavedOnceAndTheNewestOfItsNamesWins()
    {
        var names = new FileNameClaims(templated: true);
        var older = NameSlice.Of("fox at dawn");
        var newer = NameSlice.Of("fox at dusk");
        var others = NameSlice.Of("owl");
        names.Reserve(older, "t1", MediaKind.Video, 0);
        names.Reserve(newer, "t1", MediaKind.Video, 0);
        names.Reserve(others, "t2", MediaKind.Video, 0);

        // The prompt changed since: the item is still its recorded file, under its newest name, and only once.
        Assert.Equal("fox at dusk", names.Claim(Item("t1", "fox"), new[] { older, newer, others })!.BaseName);
        Assert.Null(names.Claim(Item("t1", "fox"), new[] { older, newer, others }));
        // A name recorded for another item is not this one's, whatever the caller hands in.
        Assert.Equal("owl-t3", names.Claim(Item("t3", "owl"), new[] { others })!.BaseName);
    }

    [Fact]
    public void IdsThatDifferOnlyInCaseCountPastTheirCollidingDistinctNames()
    {
        var names = new FileNameClaims(templated: true);

        Assert.Equal("same", names.Claim(Item("ab", "same"))!.BaseName);
        Assert.Equal("same-aB", names.Claim(Item("aB", "same"))!.BaseName);
        // "same-AB" is "same-aB" to a case-insensitive folder: the counter keeps the third file apart.
        Assert.Equal("same-AB~2", names.Claim(Item("AB", "same"))!.BaseName);
        Assert.Null(names.Claim(Item("AB", "same")));
    }

    [Fact]
    public void ANewTaskNeverGetsANameTheJournalGaveAnother()
    {
        var names = new FileNameClaims(templated: true);
        names.Reserve("same", "t1", MediaKind.Video, 0);

        Assert.Equal("same-t3", names.Claim(Item("t3", "same"))!.BaseName);
    }

    [Fact]
    public void WithoutATemplateACollisionGetsTheHashedName()
    {
        var names = new FileNameClaims();
        var a = new MediaItem("Task", MediaKind.Video, 0, "https://x/a", null);
        var b = new MediaItem("task", MediaKind.Video, 0, "https://x/b", null);

        Assert.Equal("Task", names.Claim(a)!.BaseName);
        var other = names.Claim(b)!;
        Assert.NotEqual("task", other.BaseName);
        Assert.StartsWith("task", other.BaseName);
    }
}
