using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Tests.Ledger;
using Xunit;
using ZAi.PowerShell.Saving;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>Edges of Save's side of the journal read in the code (issue 24, item 11), each through MediaSaver.</summary>
public sealed class SaveEdgeTests : IDisposable
{
    private readonly SaveHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void ForceWithTemplateNamesKeepsEachTwinInTheFileTheJournalGaveIt()
    {
        var journal = _h.Journal(("t1", "same"), ("t2", "same"));
        var first = _h.Run(_h.Options("out", template: "{Prompt}"), SaveHarness.Image("t1", "same", "one-old", journal), SaveHarness.Image("t2", "same", "two-old", journal));
        Assert.Equal(new[] { "same-t2.png", "same.png" }, first.Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal));

        // Re-run with -Force, the twins in the other order.
        var again = _h.Run(_h.Options("out", force: true, template: "{Prompt}"), SaveHarness.Image("t2", "same", "two-new", journal), SaveHarness.Image("t1", "same", "one-new", journal));

        _h.Sink.AssertOneThread();
        Assert.Empty(_h.Sink.Errors);
        var folder = Path.Combine(_h.Root, "out");
        Assert.Equal("one-new", SaveHarness.Text(Path.Combine(folder, "same.png")));
        Assert.Equal("two-new", SaveHarness.Text(Path.Combine(folder, "same-t2.png")));
        Assert.Equal("same.png", again.Single(f => f.TaskId == "t1").Name);
        Assert.Equal("same-t2.png", again.Single(f => f.TaskId == "t2").Name);
        var entries = SaveHarness.Entries(journal);
        Assert.Equal(Path.Combine(folder, "same.png"), entries.Single(e => e.TaskId == "t1").Files[^1].FilePath);
        Assert.Equal(Path.Combine(folder, "same-t2.png"), entries.Single(e => e.TaskId == "t2").Files[^1].FilePath);
        Assert.Equal(2, Directory.GetFiles(folder).Length);
    }

    [Fact]
    public void AJournalThatCannotRecordASavedFileIsSaidOnTheCmdletThreadOnce()
    {
        var journal = _h.Journal(("t1", "a"), ("t2", "b"));
        // This process's writer of the journal is one whose disk is full: every append fails.
        using var held = SharedJournals.Open(journal, p => new FailingStream(p, new FileInfo(p).Length));

        var files = _h.Run(_h.Options("out"), SaveHarness.Image("t1", "a", "one", journal), SaveHarness.Image("t2", "b", "two", journal));

        _h.Sink.AssertOneThread();
        Assert.Empty(_h.Sink.Errors);
        Assert.Equal(2, files.Count);
        var warning = Assert.Single(_h.Sink.Warnings);
        Assert.Contains("could not record a saved file", warning);
    }

    [Fact]
    public void OnACaseInsensitiveFileSystemAFolderSpelledWithOtherCaseKeepsTheJournalsNames()
    {
        // Linux is case-sensitive: the comparison of Windows and macOS is injected, and '.\Out' is where the files go.
        _h.Folders = StringComparer.OrdinalIgnoreCase;
        var journal = _h.Journal(("t1", "same"), ("t2", "same"));
        _h.Run(_h.Options("out", template: "{Prompt}"), SaveHarness.Image("t1", "same", "one-old", journal), SaveHarness.Image("t2", "same", "two-old", journal));

        _h.Run(_h.Options("Out", force: true, template: "{Prompt}"), SaveHarness.Image("t2", "same", "two-new", journal), SaveHarness.Image("t1", "same", "one-new", journal));

        _h.Sink.AssertOneThread();
        var folder = Path.Combine(_h.Root, "Out");
        Assert.Equal("one-new", SaveHarness.Text(Path.Combine(folder, "same.png")));
        Assert.Equal("two-new", SaveHarness.Text(Path.Combine(folder, "same-t2.png")));
    }

    [Theory]
    [InlineData("/work/out", "/work/Out/", true, true)]
    [InlineData("/work/out", "/work/Out", false, false)]
    [InlineData("/work/out/", "/work/out", false, true)]
    [InlineData("/work/out", "/work/out2", true, false)]
    public void FoldersCompareTheWayTheFileSystemDoes(string a, string b, bool caseInsensitive, bool same)
    {
        Assert.Equal(same, ZAi.PowerShell.Saving.FolderNames.Same(a, b, ZAi.PowerShell.Saving.FolderNames.For(caseInsensitive)));
    }
}
