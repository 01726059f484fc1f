using System.Management.Automation;
using ZAi.PowerShell.Journal;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>
/// Save decides by its own -Path, -Kind and -Force; the journal only says what is where (issue 24, items 4, 5 and
/// 12, and chat results from issue 25). Each through MediaSaver with a sink that only this thread may write to.
/// </summary>
public sealed class SaveAcrossFoldersTests : IDisposable
{
    private readonly SaveHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void ATaskSavedInAnotherFolderIsCopiedIntoPathWithoutARequestAndRecordedThere()
    {
        var journal = _h.Journal(("t1", "cat"));
        _h.Run(_h.Options("a"), SaveHarness.Image("t1", "cat", "cat-bytes", journal));

        // What Wait passes on for a task the journal records as saved: no links.
        var files = _h.Run(_h.Options("b"), SaveHarness.Linkless("t1", "cat", journal));

        _h.Sink.AssertOneThread();
        Assert.Empty(_h.Sink.Errors);
        Assert.Equal(0, _h.Fetches);
        var file = Assert.Single(files);
        Assert.Equal(Path.Combine(_h.Root, "b", "t1.png"), file.FullName);
        Assert.False(file.Downloaded);
        Assert.Equal("cat-bytes", SaveHarness.Text(file.FullName));
        var saved = SaveHarness.Entries(journal).Single().Files;
        Assert.Equal(file.FullName, saved[^1].FilePath);
        Assert.Equal(FileSha256.Of(file.FullName), saved[^1].FileSha256);
    }

    [Fact]
    public void AReRunIntoTheSameFolderOutputsTheFilesThereWithoutARequest()
    {
        var journal = _h.Journal(("t1", "cat"));
        var first = _h.Run(_h.Options("a"), SaveHarness.Image("t1", "cat", "cat-bytes", journal));
        var lines = File.ReadAllLines(journal).Length;

        var again = _h.Run(_h.Options("a"), SaveHarness.Linkless("t1", "cat", journal));

        Assert.Equal(0, _h.Fetches);
        Assert.Equal(first.Single().FullName, again.Single().FullName);
        Assert.False(again.Single().Downloaded);
        Assert.Equal(lines, File.ReadAllLines(journal).Length);
    }

    [Fact]
    public void ADownloadedFileIsRecordedWithItsSha256()
    {
        var journal = _h.Journal(("t1", "cat"));
        var file = _h.Run(_h.Options("a"), SaveHarness.Image("t1", "cat", "cat-bytes", journal)).Single();

        var record = SaveHarness.Entries(journal).Single().Files.Single();
        Assert.Equal(FileSha256.Of(file.FullName), record.FileSha256);
        Assert.Equal(64, record.FileSha256!.Length);
    }

    [Fact]
    public void KindAsksOnlyForItsKindsAndTheJournalAnswersThatTheTaskHasNone()
    {
        var journal = _h.Journal(("t1", "cat"));
        _h.Run(_h.Options("a"), SaveHarness.Image("t1", "cat", "cat-bytes", journal));

        var files = _h.Run(_h.Options("a", kinds: MediaKind.Video), SaveHarness.Linkless("t1", "cat", journal));

        Assert.Empty(files);
        Assert.Equal(0, _h.Fetches);
        var error = Assert.Single(_h.Sink.Errors);
        Assert.Equal("ZAiNoMedia", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("-Kind Video", error.Exception.Message);
    }

    [Fact]
    public void AFileChangedInTheOtherFolderIsNotCopiedAndTheErrorSaysHowToGetItAgain()
    {
        var journal = _h.Journal(("t1", "cat"));
        var first = _h.Run(_h.Options("a"), SaveHarness.Image("t1", "cat", "cat-bytes", journal)).Single();
        File.WriteAllText(first.FullName, "dog-bytes");   // same length, other bytes

        var files = _h.Run(_h.Options("b"), SaveHarness.Linkless("t1", "cat", journal));

        _h.Sink.AssertOneThread();
        Assert.Empty(files);
        var error = Assert.Single(_h.Sink.Errors);
        Assert.Contains("changed since it was saved", error.Exception.Message);
        Assert.Contains("-Force", error.Exception.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_h.Root, "b")));
    }

    [Fact]
    public void ATemplateNameTakenByAFileNothingShowsIsThisTasksGetsADistinctNameAndAWarning()
    {
        var folder = Path.Combine(_h.Root, "a");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "full test.png"), "an earlier task");

        var files = _h.Run(_h.Options("a", template: "{Prompt}"), SaveHarness.Image("t9", "full test", "new task", null));

        _h.Sink.AssertOneThread();
        var file = Assert.Single(files);
        Assert.Equal("full test-t9.png", file.Name);
        Assert.True(file.Downloaded);
        Assert.Equal("new task", SaveHarness.Text(file.FullName));
        Assert.Equal("an earlier task", SaveHarness.Text(Path.Combine(folder, "full test.png")));
        var warning = Assert.Single(_h.Sink.Warnings);
        Assert.Contains("full test.png' exists, and nothing shows it is the image 0 of task 't9'", warning);

        // A re-run finds its own file by the id in its name: skipped, without a word.
        var again = _h.Run(_h.Options("a", template: "{Prompt}"), SaveHarness.Image("t9", "full test", "new task", null));
        Assert.Equal("full test-t9.png", again.Single().Name);
        Assert.False(again.Single().Downloaded);
        Assert.Empty(_h.Sink.Warnings);
    }

    [Fact]
    public void ATemplateNameTheJournalRecordsForThisTaskIsSkippedAsSaved()
    {
        var journal = _h.Journal(("t1", "full test"));
        _h.Run(_h.Options("a", template: "{Prompt}"), SaveHarness.Image("t1", "full test", "mine", journal));

        var again = _h.Run(_h.Options("a", template: "{Prompt}", kinds: MediaKind.Image), SaveHarness.Image("t1", "full test", "mine", journal));

        Assert.Equal("full test.png", again.Single().Name);
        Assert.False(again.Single().Downloaded);
        Assert.Empty(_h.Sink.Warnings);
    }

    [Fact]
    public void AFolderThatCannotBeWrittenIsOneErrorNamingItForAllFiles()
    {
        var blocker = Path.Combine(_h.Root, "a-file");
        File.WriteAllText(blocker, "not a folder");

        var files = _h.Run(_h.Options(Path.Combine("a-file", "sub")), SaveHarness.Image("t1", "a", "1", null), SaveHarness.Image("t2", "b", "2", null), SaveHarness.Image("t3", "c", "3", null));

        _h.Sink.AssertOneThread();
        Assert.Empty(files);
        var error = Assert.Single(_h.Sink.Errors);
        Assert.Equal("ZAiMediaWriteFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains($"Cannot save into the folder '{Path.Combine(blocker, "sub")}'", error.Exception.Message);
        Assert.Contains("Give -Path a folder you can write to", error.Exception.Message);
        Assert.DoesNotContain(".partial", error.Exception.Message);
    }

    [Fact]
    public void ChatResultsAreNoErrorAndAreSaidOnce()
    {
        PSObject Chat(string id)
        {
            var chat = new PSObject();
            chat.Properties.Add(new PSNoteProperty("Id", id));
            chat.Properties.Add(new PSNoteProperty("TaskStatus", "SUCCESS"));
            chat.Properties.Add(new PSNoteProperty("Kind", "Chat"));
            chat.Properties.Add(new PSNoteProperty("VideoResult", Array.Empty<object>()));
            chat.Properties.Add(new PSNoteProperty("ImageResult", Array.Empty<object>()));
            return chat;
        }

        var files = _h.Run(_h.Options("a"), Chat("c1"), SaveHarness.Image("t1", "a", "1", null), Chat("c2"));

        _h.Sink.AssertOneThread();
        Assert.Single(files);
        Assert.Empty(_h.Sink.Errors);
        Assert.Contains("chat completion", Assert.Single(_h.Sink.Warnings));
        Assert.Contains(_h.Sink.Verbose, v => v.Contains("Task 'c2' is a chat completion"));
    }

    [Theory]
    [InlineData(28, true)]
    [InlineData(unchecked((int)0x80070070), true)]
    [InlineData(unchecked((int)0x80070027), true)]
    [InlineData(13, false)]
    [InlineData(unchecked((int)0x80070005), false)]
    public void AFullDiskIsRecognisedByItsCode(int hresult, bool full)
    {
        var error = DownloadErrorsFor(new IOException("disk", hresult));
        Assert.Equal(full, SaveFolder.IsDiskFull(error));
        var told = SaveFolder.ExplainDiskFull(error, new MediaItem("t1", MediaKind.Video, 0, "https://x/v.mp4", null), "/media/out");
        Assert.Equal(full, told.Message.Contains("Free space and run the command again; the download resumes where it stopped."));
    }

    private static ZAiMediaException DownloadErrorsFor(IOException io) =>
        DownloadErrors.WriteFailed(new MediaItem("t1", MediaKind.Video, 0, "https://x/v.mp4", null), "/media/out/t1.partial", io);
}
