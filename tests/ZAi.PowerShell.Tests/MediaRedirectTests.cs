using System.Collections.Concurrent;
using System.Net;
using ZAi.PowerShell.Client;
using Xunit;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// Links and redirects to link-local or metadata hosts are refused before any request is sent there. A scripted
/// handler stands in for the network, so no connection to such an address is ever attempted by these tests.
/// </summary>
public sealed class MediaRedirectTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-redirect-" + Guid.NewGuid().ToString("N"));
    private readonly ScriptedHandler _handler = new();

    public MediaRedirectTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<string> DownloadAsync(string url)
    {
        using var client = new HttpClient(_handler, disposeHandler: false);
        var downloader = new FileDownloader(client, new RetryPolicy(0), TimeSpan.FromSeconds(5), new CollectingLog());
        return await downloader.DownloadAsync(new MediaItem("task-1", MediaKind.Video, 0, url, null), _folder, new DownloadProgress("x"), CancellationToken.None);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal")]
    [InlineData("http://[fe80::a9fe:a9fe]/x.mp4", "fe80::a9fe:a9fe")]
    public async Task ALinkToALinkLocalOrMetadataHostIsRefusedBeforeAnyRequest(string url, string named)
    {
        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync(url));

        Assert.Equal(MediaErrorReason.InvalidUrl, error.Reason);
        Assert.Equal("ZAiInvalidMediaUrl", error.ErrorId);
        Assert.Contains(named, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_handler.Requests);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void TheSaveCommandsUrlCheckRefusesTheMetadataAddress()
    {
        var error = Assert.Throws<ZAiMediaException>(() => FileDownloader.CheckUrl(new MediaItem("t", MediaKind.Image, 0, "http://169.254.169.254/x.png", null)));
        Assert.Equal(MediaErrorReason.InvalidUrl, error.Reason);
        Assert.Contains("169.254.169.254", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal")]
    [InlineData("/../../latest", null)] // relative: stays on the loopback host, followed
    public async Task ARedirectToALinkLocalOrMetadataHostIsRefusedBeforeItIsFollowed(string location, string? named)
    {
        _handler.Answer = request => request.RequestUri!.AbsolutePath.EndsWith("/latest", StringComparison.Ordinal)
            ? ScriptedHandler.Media(1000)
            : ScriptedHandler.Redirect(location);

        if (named is null)
        {
            var path = await DownloadAsync("http://127.0.0.1:9/media/t/video_0.mp4");
            Assert.Equal(1000, new FileInfo(path).Length);
            Assert.Equal(new[] { "http://127.0.0.1:9/media/t/video_0.mp4", "http://127.0.0.1:9/latest" }, _handler.Requests);
            return;
        }

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync("http://127.0.0.1:9/media/t/video_0.mp4"));

        Assert.Equal(MediaErrorReason.InvalidUrl, error.Reason);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("redirected from 127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "http://127.0.0.1:9/media/t/video_0.mp4" }, _handler.Requests);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AStepDownFromHttpsToHttpIsRefused()
    {
        _handler.Answer = _ => ScriptedHandler.Redirect("http://127.0.0.1:9/x.mp4");

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync("https://127.0.0.1:9/x.mp4"));

        Assert.Equal(MediaErrorReason.InvalidUrl, error.Reason);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task ARedirectLoopEndsAfterTenHops()
    {
        _handler.Answer = request => ScriptedHandler.Redirect(request.RequestUri!.AbsoluteUri + "x");

        var error = await Assert.ThrowsAsync<ZAiMediaException>(() => DownloadAsync("http://127.0.0.1:9/x"));

        Assert.Equal(MediaErrorReason.DownloadFailed, error.Reason);
        Assert.Equal(MediaRequestSender.MaxRedirects + 1, _handler.Requests.Count);
    }

    [Fact]
    public async Task TheMediaClientIsAskedForAtTheFirstDownloadAndOnlyOnce()
    {
        // A Save whose files are all on disk (a re-run) downloads nothing and so builds no client and no handler.
        var asked = 0;
        using var client = new HttpClient(_handler, disposeHandler: false);
        _handler.Answer = _ => ScriptedHandler.Media(100);
        var downloader = new FileDownloader(() => { asked++; return client; }, new RetryPolicy(0), TimeSpan.FromSeconds(5), new CollectingLog());
        Assert.Equal(0, asked);

        var first = await downloader.DownloadAsync(new MediaItem("task-1", MediaKind.Video, 0, "http://127.0.0.1:9/media/a.mp4", null), _folder, new DownloadProgress("x"), CancellationToken.None);
        Assert.Equal(1, asked);
        var second = await downloader.DownloadAsync(new MediaItem("task-2", MediaKind.Video, 0, "http://127.0.0.1:9/media/b.mp4", null), _folder, new DownloadProgress("x"), CancellationToken.None);

        Assert.Equal(1, asked);
        Assert.Equal(new[] { "http://127.0.0.1:9/media/a.mp4", "http://127.0.0.1:9/media/b.mp4" }, _handler.Requests);
        Assert.Equal(100, new FileInfo(first).Length);
        Assert.Equal(100, new FileInfo(second).Length);
    }

    /// <summary>Answers every request from a script and records the URIs asked, without any network.</summary>
    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly ConcurrentQueue<string> _requests = new();

        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        public IReadOnlyList<string> Requests => _requests.ToArray();

        public static HttpResponseMessage Redirect(string location)
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
            return response;
        }

        public static HttpResponseMessage Media(int length)
        {
            var content = new ByteArrayContent(Enumerable.Repeat((byte)7, length).ToArray());
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("video/mp4");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _requests.Enqueue(request.RequestUri!.AbsoluteUri);
            var response = Answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
