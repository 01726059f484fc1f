using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Windows PowerShell 5.1's MAX_PATH: clear errors instead of a bare PathTooLongException, on any platform.</summary>
public sealed class PathLengthLimitTests : IDisposable
{
    private static readonly PathLengthLimit Desktop = new(applies: true);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zai-maxpath-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>A full folder path of exactly <paramref name="length"/> characters under the temp folder.</summary>
    private string FolderOfLength(int length)
    {
        var prefix = _root + Path.DirectorySeparatorChar;
        return prefix + new string('d', length - prefix.Length);
    }

    [Fact]
    public void AFolderOfUpTo247CharactersIsAccepted()
    {
        Desktop.CheckFolder(FolderOfLength(PathLengthLimit.MaxFolderPath));
    }

    [Fact]
    public void ALongerFolderIsAnArgumentErrorThatSaysWhatToDo()
    {
        var folder = FolderOfLength(248);
        var error = Assert.Throws<ArgumentException>(() => Desktop.CheckFolder(folder));
        Assert.Equal($"-Path '{folder}' is 248 characters long, more than the 247 a folder may have. Windows PowerShell 5.1 (.NET Framework) cannot use longer paths. Save to a folder with a shorter path, or use PowerShell 7.", error.Message);
    }

    [Fact]
    public void AFilePathOfUpTo259CharactersIsAccepted()
    {
        Desktop.CheckFile(new string('f', PathLengthLimit.MaxFilePath));
    }

    [Fact]
    public void ALongerFilePathIsAPathTooLongExceptionThatSaysWhy()
    {
        var path = new string('f', 260);
        var error = Assert.Throws<PathTooLongException>(() => Desktop.CheckFile(path));
        Assert.StartsWith($"The file path '{path}' is 260 characters long, more than the 259 a file path may have. Windows PowerShell 5.1", error.Message);
    }

    [Fact]
    public void OnPowerShell7NothingIsChecked()
    {
        var off = new PathLengthLimit(applies: false);
        off.CheckFolder(new string('d', 5000));
        off.CheckFile(new string('f', 5000));
        Assert.False(PathLengthLimit.Current.Applies);
    }

    [Fact]
    public void MediaFileNamesRefusesAFileNameThatMakesThePathTooLong()
    {
        var folder = FolderOfLength(240);
        Assert.Equal(259, MediaFileNames.Within(folder, new string('n', 14) + ".mp4", Desktop).Length);
        var error = Assert.Throws<PathTooLongException>(() => MediaFileNames.Within(folder, new string('n', 15) + ".mp4", Desktop));
        Assert.Contains("260 characters long", error.Message);
    }

    [Fact]
    public async Task TheDownloaderReportsATooLongPartialFileAsAWriteFailureAndWritesNothing()
    {
        // The final name and the temporary .partial file fit; the .validator file beside the .partial does not.
        var folder = FolderOfLength(230);
        var item = new MediaItem("task-with-a-long-id", MediaKind.Image, 0, null, Convert.ToBase64String(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
        Assert.True(Path.Combine(folder, item.BaseName + ".png").Length <= PathLengthLimit.MaxFilePath);
        var downloader = new FileDownloader(MediaHttpClient.Instance, new RetryPolicy(0), TimeSpan.FromSeconds(5), new CollectingLog()) { PathLimit = Desktop };

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => downloader.DownloadAsync(item, folder, new DownloadProgress(item.BaseName), CancellationToken.None));

        Assert.Equal("ZAiMediaWriteFailed", error.ErrorId);
        var partial = Path.Combine(folder, item.BaseName) + ".partial.validator";
        Assert.Equal($"Cannot save the image 0 of task 'task-with-a-long-id': The file path '{partial}' is 268 characters long, more than the 259 a file path may have. Windows PowerShell 5.1 (.NET Framework) cannot use longer paths. Save to a folder with a shorter path, or use PowerShell 7.", error.Message);
        Assert.False(Directory.Exists(_root));
    }
}
